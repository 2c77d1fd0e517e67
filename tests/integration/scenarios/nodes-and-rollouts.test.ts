// failover, lost-placement and bad-rollout on one sim lab; what happens to a run whose runner
// dies, and to the hints and solution a learner asks for; and what a node's heal gives back.
import { join } from 'node:path';
import type { V1Pod, V1PodList } from '@kubernetes/client-node';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { labContext, requireLabRecord } from '../../../core/lab/lab-record.ts';
import { kubeClients } from '../../../core/kube/kube-client.ts';
import { strategicMergePatch } from '../../../core/kube/patch-options.ts';
import { isDeploymentAvailable } from '../../../core/kube/readiness.ts';
import { waitFor } from '../../helpers/wait.ts';
import { cli, kubectlJson, REPO } from '../helpers/lab-env.ts';
import { catalogScenario, describeScenarioRuns, useScenarioLab, type RunResult } from '../helpers/scenario-suite.ts';

describe('node and rollout scenarios on a sim lab', () => {
  const lab = useScenarioLab('scn-nodes');
  describeScenarioRuns(lab, ['failover', 'lost-placement', 'bad-rollout']);

  it('rolls back a run whose runner was killed mid-step, at the next command', async () => {
    const runner = execa(
      process.execPath,
      [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', 'failover', '--name', lab.name],
      { cwd: REPO, reject: false, env: process.env },
    );
    await lab.waitForRunStep('step 1 running', (s) => s.currentStep === 0 && s.steps[0]?.state === 'running');
    runner.kill('SIGKILL');
    await runner;
    const next = await cli(['scenario', 'status', '--name', lab.name]);
    expect(next.exitCode).toBe(1);
    expect(next.stderr).toMatch(new RegExp(`no scenario is running on lab ${lab.name}`));
    expect(next.stderr).toMatch(/had stopped; it was rolled back/);
    const report = JSON.parse((await cli(['scenario', 'report', '--format', 'json'])).stdout) as {
      state: string;
      rolledBack: boolean;
      reason: string;
      timeline: { type: string }[];
    };
    expect(report.state).toBe('aborted');
    expect(report.rolledBack).toBe(true);
    expect(report.timeline.map((e) => e.type)).toContain('recovered');
    // The failed node was healed by the rollback: the lab comes back to its baseline once the
    // node's heartbeat reports it Ready again.
    await waitFor(
      'the lab back at its baseline after the rollback',
      lab.baselineGaps,
      (gaps) => gaps.nodes.length + gaps.workloads.length + gaps.pods.length === 0,
      60_000,
    );
  });

  it('reveals hints one at a time and the solution on request, charges for them, and aborts cleanly', async () => {
    // failover's first step waits for the learner (it needs a command typed in the lab shell).
    const scenario = catalogScenario('failover');
    const runner = execa(
      process.execPath,
      [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', 'failover', '--name', lab.name, '-o', 'json'],
      { cwd: REPO, reject: false, env: process.env },
    );
    await lab.waitForRunStep('step 1 running', (s) => s.currentStep === 0 && s.steps[0]?.state === 'running');
    const hint = await cli(['scenario', 'hint', '--name', lab.name]);
    expect(hint.stdout.trim()).toBe(`hint 1/${scenario.steps[0]!.hints.length}: ${scenario.steps[0]!.hints[0]}`);
    const solution = await cli(['scenario', 'solution', '--name', lab.name]);
    expect(solution.stdout.trim()).toBe(scenario.steps[0]!.solution.trim());
    await lab.waitForRunStep('the solution of step 1 revealed', (s) => s.steps[0]?.solutionRevealed === true);
    expect((await cli(['scenario', 'abort', '--name', lab.name])).exitCode).toBe(0);
    const result = JSON.parse(String((await runner).stdout)) as RunResult;
    expect(result.state).toBe('aborted');
    expect(result.steps[0]).toMatchObject({ hints: 1, solution: true, outcome: 'aborted' });
    expect(result.score).toBe(0);
    const md = await cli(['scenario', 'report']);
    expect(md.stdout).toMatch(/^# .+ — aborted$/m);
    expect(md.stdout).toContain('## Timeline');
    expect(md.stdout).toMatch(/\| \d\d:\d\d:\d\d \| hint \|/);
    await lab.expectBaseline();
  });

  it('`node heal` gives back Ready to the pods the node controller marked not Ready while their node was down', async () => {
    // The node controller marks a pod not Ready when the pod is bound to a node it still counts
    // as down. On sim that happened in a race (a pod scheduled in the seconds after a heal,
    // before the controller's next look at the node) and KWOK never put Ready back: failover's
    // last step then waited for good on one unavailable service. A real kubelet reports Ready
    // again on its next sync; on sim the heal does. The race cannot be made on demand, so the
    // test makes the controller's own update (Ready=False, nothing else) while the node is down.
    const { kubeconfigPath } = await labContext(await requireLabRecord(lab.name));
    const { apps, core } = kubeClients(kubeconfigPath);
    const name = 'rides-out';
    const podOf = async () =>
      (await kubectlJson<V1PodList>(kubeconfigPath, ['get', 'pods', '-n', 'default', '-l', `app=${name}`])).items[0];
    const readyOf = (pod: V1Pod | undefined) => pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name },
        spec: {
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              nodeSelector: { 'kubernetes.io/hostname': 'backend-2' },
              // it stays on backend-2 while the node is down (no eviction)
              tolerations: [
                { key: 'pool', value: 'backend', effect: 'NoSchedule' },
                { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
                { key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
              ],
              containers: [{ name: 'c', image: 'busybox:1.38.0' }],
            },
          },
        },
      },
    });
    try {
      const pod = await waitFor('the pod Ready on backend-2', podOf, (p) => readyOf(p) === 'True', 60_000);
      expect((await cli(['node', 'fail', 'backend-2', '--name', lab.name])).exitCode).toBe(0);
      await core.patchNamespacedPodStatus(
        {
          name: pod?.metadata?.name ?? '',
          namespace: 'default',
          body: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
        },
        strategicMergePatch,
      );
      expect(readyOf(await podOf())).toBe('False');
      const heal = await cli(['node', 'heal', 'backend-2', '--name', lab.name]);
      expect(heal.exitCode, heal.stderr).toBe(0);
      // The heal returns once the node is back in service and its pods are Ready again.
      const after = await podOf();
      expect(after?.metadata?.uid).toBe(pod?.metadata?.uid);
      expect(readyOf(after)).toBe('True');
      await waitFor(
        'the Deployment available again',
        () => apps.readNamespacedDeployment({ name, namespace: 'default' }),
        (d) => isDeploymentAvailable(d),
        30_000,
      );
      // (backend-2 was down a few seconds: a shop pod evicted meanwhile is replaced on backend-1)
      await waitFor(
        'the lab back at its baseline',
        lab.baselineGaps,
        (gaps) => gaps.nodes.length + gaps.workloads.length + gaps.pods.length === 0,
        60_000,
      );
    } finally {
      await apps.deleteNamespacedDeployment({ name, namespace: 'default' });
    }
  });
});
