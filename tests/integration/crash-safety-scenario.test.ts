// Crash safety of scenario runs (issue #19): the process running a scenario is killed (SIGKILL)
// while the scenario's fault is in. The `kartstream serve` that ran it: its next start rolls the
// run back. The `kartstream scenario run` CLI: the next scenario command on the lab does. Either
// way the failed node is healed, the run ends aborted, and the lab's timeline ends with a record
// that the run was interrupted and rolled back.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../core/contract/router.ts';
import { isAlive } from '../../core/exec/process-alive.ts';
import { labDir } from '../../core/home/paths.ts';
import { labKubeconfigPath } from '../../core/lab/lab-record.ts';
import { readLabTimeline } from '../../core/lab/lab-timeline.ts';
import { readRunState, readTimeline, type RunState } from '../../core/scenarios/run-files.ts';
import { FAULT_LABEL } from '../../core/backends/sim/pod-faults.ts';
import { startServe, type ServedApp } from '../e2e/helpers/serve.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, kubectlJson, REPO, useTempHome } from './helpers/lab-env.ts';

const NAME = 'crash-scn';
const FAILED_NODE = 'backend-1';

const faultOf = async (node: string): Promise<string | undefined> =>
  (
    await kubectlJson<{ metadata: { labels?: Record<string, string> } }>(labKubeconfigPath(NAME), [
      'get',
      'node',
      node,
    ])
  ).metadata.labels?.[FAULT_LABEL];

// The run's state once its first step is running with its fault in.
const stepOneRunning = (runId: () => Promise<string | undefined>) =>
  waitFor(
    'the run in step 1 (its fault injected)',
    async () => {
      const id = await runId();
      return id ? readRunState(id) : undefined;
    },
    (s): s is RunState => s?.steps[0]?.state === 'running' && s.steps[0].deadline !== undefined,
    180_000,
    { intervalMs: 500 },
  );

const claimedRunId = async (): Promise<string | undefined> => {
  const file = join(labDir(NAME), 'active-run.json');
  if (!existsSync(file)) return undefined;
  const { readRunClaim } = await import('../../core/scenarios/run-claim.ts');
  return (await readRunClaim(NAME))?.id;
};

const gone = (pid: number) =>
  waitFor(
    `process ${pid} to end`,
    () => isAlive(pid),
    (alive) => !alive,
    10_000,
    { intervalMs: 100 },
  );

// What the next command (or server start) must leave: the node healed, the run aborted and
// rolled back, and the lab's timeline ending with what happened.
const expectRecovered = async (runId: string, killedPid: number) => {
  const state = await waitFor(
    'the interrupted run to be rolled back',
    () => readRunState(runId),
    (s) => s?.state === 'aborted',
    120_000,
    { intervalMs: 500 },
  );
  expect(state?.rolledBack).toBe(true);
  expect(state?.reason).toContain(`pid ${killedPid}`);
  expect(state?.steps[0]?.state).toBe('aborted');
  expect(await faultOf(FAILED_NODE)).toBeUndefined();
  const events = await readTimeline(runId);
  expect(events.map((e) => e.type)).toContain('recovered');
  expect(events.filter((e) => e.phase === 'rollback').map((e) => e.action)).toContain('healNode');
  expect(events.at(-1)?.type).toBe('run-end');
  const last = (await readLabTimeline(NAME)).entries.at(-1);
  expect(last?.kind).toBe('scenario');
  expect(last?.text).toContain(`pid ${killedPid}`);
  expect(last?.text).toMatch(/interrupted.*rolled back/);
  expect(last?.data).toMatchObject({ event: 'recovered', run: runId, rollbackFailed: [] });
  expect(await claimedRunId()).toBeUndefined();
};

describe('a scenario runner killed mid-run', () => {
  const temp = useTempHome();
  const served: ServedApp[] = [];
  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME]);
    expect(up.exitCode, up.stderr).toBe(0);
  }, 600_000);
  afterAll(async () => {
    for (const s of served) await s.stop();
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  }, 180_000);

  it('the server killed with a node failed: its next start heals it and records the interruption', async () => {
    const first = await startServe({ home: temp.home, args: ['--name', NAME] });
    served.push(first);
    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${first.url}trpc` })] });
    const { runId } = await api.scenarios.start.mutate({ lab: NAME, id: 'failover' });
    await stepOneRunning(async () => runId);
    await waitFor(
      'backend-1 failed',
      () => faultOf(FAILED_NODE),
      (f) => f !== undefined,
      30_000,
    );

    process.kill(first.pid, 'SIGKILL');
    await gone(first.pid);
    // Nothing rolled it back on the way down: the fault outlives the server.
    expect(await faultOf(FAILED_NODE)).toBe('not-ready');
    expect((await readRunState(runId))?.state).toBe('running');

    const second = await startServe({ home: temp.home, args: ['--name', NAME] });
    served.push(second);
    await expectRecovered(runId, first.pid);
    expect(second.stderr()).toContain(`run ${runId} had stopped with the last server; it was rolled back`);
  }, 600_000);

  it('`scenario run` killed with a node failed: the next scenario command heals it', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', 'failover', '--name', NAME],
      { cwd: REPO, env: { ...process.env, KARTSTREAM_HOME: temp.home }, stdio: 'ignore' },
    );
    try {
      const state = await stepOneRunning(claimedRunId);
      await waitFor(
        'backend-1 failed',
        () => faultOf(FAILED_NODE),
        (f) => f !== undefined,
        30_000,
      );
      child.kill('SIGKILL');
      await gone(child.pid!);
      expect(await faultOf(FAILED_NODE)).toBe('not-ready');

      const status = await cli(['scenario', 'status', '--name', NAME]);
      expect(status.exitCode).not.toBe(0);
      expect(status.stderr).toContain(`run ${state.id} had stopped; it was rolled back`);
      await expectRecovered(state.id, child.pid!);
    } finally {
      child.kill('SIGKILL');
    }
  }, 600_000);
});
