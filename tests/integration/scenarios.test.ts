// Every scenario of the catalog on a real sim lab with monitoring, run through the CLI as a
// learner (or a demo) would: auto-solved it passes with the full step score; left alone it fails
// on its time box and its rollback leaves the steady state holding; a runner killed mid-step is
// rolled back by the next command; hints and solutions cost what the spec says.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScenarios } from '../../core/scenarios/catalog.ts';
import type { LabSnapshot } from '../../core/lab/lab-snapshot.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

const NAME = 'scn-lab';
const catalog = await listScenarios();

interface RunResult {
  passed: boolean;
  state: string;
  score: number;
  maxScore: number;
  reason?: string;
  rolledBack: boolean;
  steadyStateAfter?: boolean;
  steps: { id: string; outcome: string; hints: number; solution: boolean }[];
}

const run = async (args: string[]): Promise<RunResult> => {
  const r = await cli(['scenario', 'run', ...args, '--name', NAME, '-o', 'json']);
  expect(r.stderr).not.toMatch(/^error:/m);
  return JSON.parse(r.stdout) as RunResult;
};

// What keeps the lab from its baseline: nodes not Ready, workloads not fully available, Pending pods.
const baselineGaps = async () => {
  const status = JSON.parse((await cli(['status', '--name', NAME, '-o', 'json'])).stdout) as LabSnapshot;
  return {
    nodes: status.nodes.filter((n) => !n.ready),
    workloads: status.workloads.filter((w) => !w.ready || w.available !== w.desired),
    pods: status.pods.filter((p) => p.phase === 'Pending'),
  };
};

const labIsAtBaseline = async () => {
  expect(await baselineGaps()).toEqual({ nodes: [], workloads: [], pods: [] });
};

type RunStatus = { currentStep: number; steps: { state: string; solutionRevealed?: boolean }[] };

const waitForRunStep = (what: string, predicate: (s: RunStatus) => boolean) =>
  waitFor(
    `the run's status to show ${what}`,
    async () => {
      const r = await cli(['scenario', 'status', '--name', NAME, '-o', 'json']);
      if (r.exitCode !== 0) throw new Error(`scenario status failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as RunStatus;
    },
    predicate,
    120_000,
  );

describe('the scenario catalog on a sim lab', () => {
  const temp = useTempHome();
  beforeAll(async () => {
    expect((await cli(['up', '--name', NAME])).exitCode).toBe(0);
  });
  afterAll(async () => {
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('has the five required scenarios', () => {
    expect(catalog.map((c) => c.scenario.id).sort()).toEqual([
      'alerting',
      'bad-rollout',
      'failover',
      'lost-placement',
      'scale-to-zero',
    ]);
  });

  for (const { scenario } of catalog) {
    it(`${scenario.id}: passes with --auto-solve, with every step's points and nothing deducted`, async () => {
      const result = await run([scenario.id, '--auto-solve']);
      expect(result.reason).toBeUndefined();
      expect(result.passed).toBe(true);
      expect(result.steps.map((s) => s.outcome)).toEqual(scenario.steps.map(() => 'passed'));
      expect(result.score).toBeGreaterThanOrEqual(scenario.steps.length * scenario.scoring.step);
      expect(result.steadyStateAfter).toBe(true);
      expect(result.rolledBack).toBe(true);
      await labIsAtBaseline();
    });

    it(`${scenario.id}: fails on its time box when nothing is done, and the rollback restores the steady state`, async () => {
      const result = await run([scenario.id, '--step-timeout', '20s']);
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(/timed out after 20s/);
      // Some steps pass on their own (the fault is the check); the first that needs the learner
      // times out, and nothing after it runs.
      const timedOut = result.steps.findIndex((s) => s.outcome === 'timed-out');
      expect(timedOut).toBeGreaterThanOrEqual(0);
      expect(result.steps.slice(timedOut + 1).every((s) => s.outcome === 'pending')).toBe(true);
      expect(result.rolledBack).toBe(true);
      expect(result.score).toBeLessThan(scenario.steps.length * scenario.scoring.step);
      await labIsAtBaseline();
    });
  }

  it('rolls back a run whose runner was killed mid-step, at the next command', async () => {
    const runner = execa(
      process.execPath,
      [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', 'failover', '--name', NAME],
      { cwd: REPO, reject: false, env: process.env },
    );
    await waitForRunStep('step 1 running', (s) => s.currentStep === 0 && s.steps[0]?.state === 'running');
    runner.kill('SIGKILL');
    await runner;
    const next = await cli(['scenario', 'status', '--name', NAME]);
    expect(next.exitCode).toBe(1);
    expect(next.stderr).toMatch(/no scenario is running on lab scn-lab/);
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
      baselineGaps,
      (gaps) => gaps.nodes.length + gaps.workloads.length + gaps.pods.length === 0,
      60_000,
    );
  });

  it('reveals hints one at a time and the solution on request, charges for them, and aborts cleanly', async () => {
    // failover's first step waits for the learner (it needs a command typed in the lab shell).
    const scenario = catalog.find((c) => c.scenario.id === 'failover')!.scenario;
    const runner = execa(
      process.execPath,
      [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', 'failover', '--name', NAME, '-o', 'json'],
      { cwd: REPO, reject: false, env: process.env },
    );
    await waitForRunStep('step 1 running', (s) => s.currentStep === 0 && s.steps[0]?.state === 'running');
    const hint = await cli(['scenario', 'hint', '--name', NAME]);
    expect(hint.stdout.trim()).toBe(
      `hint 1/${scenario.steps[0]!.hints.length}: ${scenario.steps[0]!.hints[0]}`,
    );
    const solution = await cli(['scenario', 'solution', '--name', NAME]);
    expect(solution.stdout.trim()).toBe(scenario.steps[0]!.solution.trim());
    await waitForRunStep('the solution of step 1 revealed', (s) => s.steps[0]?.solutionRevealed === true);
    expect((await cli(['scenario', 'abort', '--name', NAME])).exitCode).toBe(0);
    const result = JSON.parse(String((await runner).stdout)) as RunResult;
    expect(result.state).toBe('aborted');
    expect(result.steps[0]).toMatchObject({ hints: 1, solution: true, outcome: 'aborted' });
    expect(result.score).toBe(0);
    const md = await cli(['scenario', 'report']);
    expect(md.stdout).toMatch(/^# .+ — aborted$/m);
    expect(md.stdout).toContain('## Timeline');
    expect(md.stdout).toMatch(/\| \d\d:\d\d:\d\d \| hint \|/);
    await labIsAtBaseline();
  });
});
