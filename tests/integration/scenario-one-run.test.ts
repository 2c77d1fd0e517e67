// One run per lab, on a real sim lab: two scenario runs started at the same moment, from two
// CLI processes (a terminal beside the app) or inside one process, and exactly one runs; the
// other is refused with the running scenario's name and how to abort it. The winner is aborted
// and its rollback leaves the lab free for the next run.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findScenario } from '../../core/scenarios/catalog.ts';
import { runScenario } from '../../core/scenarios/scenario-runner.ts';
import { readRunClaim } from '../../core/scenarios/run-claim.ts';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

const NAME = 'one-run-lab';

const startCli = () =>
  execa(
    process.execPath,
    [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', 'failover', '--name', NAME, '-o', 'json'],
    { cwd: REPO, reject: false, env: process.env },
  );

// Until the run's first step runs (an abort asked for earlier would wait for it).
const waitForFirstStep = async () => {
  for (let i = 0; i < 240; i += 1) {
    const r = await cli(['scenario', 'status', '--name', NAME, '-o', 'json']);
    const s =
      r.exitCode === 0
        ? (JSON.parse(r.stdout) as { currentStep: number; steps: { state: string }[] })
        : undefined;
    if (s?.currentStep === 0 && s.steps[0]?.state === 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the run never reached its first step');
};

const waitForClaim = async () => {
  for (let i = 0; i < 240; i += 1) {
    if (await readRunClaim(NAME)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('no run ever claimed the lab');
};

describe('one scenario run per lab', () => {
  const temp = useTempHome();
  beforeAll(async () => {
    expect((await cli(['up', '--name', NAME, '--no-monitoring'])).exitCode).toBe(0);
  });
  afterAll(async () => {
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('refuses the second of two CLI runs started together, naming the first and how to abort it', async () => {
    const runs = [startCli(), startCli()];
    // The loser ends at once; the winner runs until aborted.
    const first = await Promise.race(runs.map((p, i) => p.then(() => i)));
    const loser = await runs[first]!;
    expect(loser.exitCode).toBe(1);
    expect(loser.stderr).toMatch(/a scenario \("[^"]+"\) is already running on lab one-run-lab/);
    expect(loser.stderr).toMatch(/npx kartstream scenario abort --name one-run-lab/);
    await waitForFirstStep();
    expect((await cli(['scenario', 'abort', '--name', NAME])).exitCode).toBe(0);
    const winner = await runs[1 - first]!;
    const ended = JSON.parse(String(winner.stdout)) as { state: string; customerImpact?: unknown };
    expect(ended.state).toBe('aborted');
    // a lab without monitoring has no traffic data to judge the shoppers' experience by, not zero failures
    expect(ended.customerImpact).toEqual({
      available: false,
      reason: 'no traffic data: the lab runs without monitoring',
    });
    expect(await readRunClaim(NAME)).toBeUndefined();
  });

  it('refuses the second of two runs started together in one process', async () => {
    const loaded = await findScenario('failover');
    const controller = new AbortController();
    const starts = [0, 1].map(() => runScenario({ labName: NAME, loaded, signal: controller.signal }));
    const first = await Promise.race(
      starts.map((p, i) =>
        p.then(
          () => i,
          () => i,
        ),
      ),
    );
    await expect(starts[first]).rejects.toThrow(/is already running on lab one-run-lab/);
    await waitForClaim();
    controller.abort();
    const other = await starts[1 - first]!;
    expect(other.state).toBe('aborted');
    expect(await readRunClaim(NAME)).toBeUndefined();
  });
});
