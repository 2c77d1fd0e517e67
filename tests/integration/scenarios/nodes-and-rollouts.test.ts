// failover, lost-placement and bad-rollout on one sim lab; and what happens to a run whose runner
// dies, and to the hints and solution a learner asks for.
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.ts';
import { cli, REPO } from '../helpers/lab-env.ts';
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
});
