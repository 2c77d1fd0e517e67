// Scenarios through the core server's API on a real sim lab: the catalog, the failover scenario
// played as a learner would (a hint, kubectl in the lab, the CLI healing the nodes) to its debrief,
// a second run aborted and rolled back, a second start refused, and a run started by the CLI in
// another process driven from the server (hint and abort through the run's control file).
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../core/contract/router.ts';
import type { RunView } from '../../core/contract/wire-types.ts';
import { isKartStreamError, type KartStreamError } from '../../core/errors/kartstream-error.ts';
import { labKubeconfigPath } from '../../core/lab/lab-record.ts';
import { findScenario, listScenarios } from '../../core/scenarios/catalog.ts';
import { readRunState, recordCommand } from '../../core/scenarios/run-files.ts';
import { score } from '../../core/scenarios/scoring.ts';
import { createServices, type CreatedServices } from '../../core/server/services/index.ts';
import { waitFor, wakeup } from '../helpers/wait.ts';
import { cli, kubectlJson, REPO, useTempHome } from './helpers/lab-env.ts';
import { localContext } from '../../core/server/share-service.ts';

const NAME = 'srv-scn';
const { scenario: failover } = await findScenario('failover');

let created: CreatedServices;
let api: ReturnType<typeof appRouter.createCaller>;
let kubeconfig = '';

// The engine error behind a failed call (the router sends it as `error.data.wire`).
const failure = async (call: Promise<unknown>): Promise<KartStreamError> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as { cause?: unknown },
  );
  expect(error, 'the call should have failed').toBeDefined();
  if (!isKartStreamError(error?.cause)) throw error;
  return error.cause;
};

// What the player sees: every view `scenarios.watch` sends, and a wait for one that matches.
const follow = () => {
  const stop = new AbortController();
  const views: (RunView | null)[] = [];
  const events = wakeup();
  const caller = appRouter.createCaller(localContext(created.services), { signal: stop.signal });
  const done = (async () => {
    for await (const view of await caller.scenarios.watch({ lab: NAME })) {
      views.push(view);
      events.wake();
    }
  })();
  return {
    views,
    until: (what: string, match: (v: RunView) => boolean, timeoutMs: number): Promise<RunView> =>
      waitFor(
        `a run view with ${what}`,
        () => views.find((v): v is RunView => v !== null && match(v)) ?? views.at(-1),
        (v): v is RunView => v !== null && v !== undefined && match(v),
        timeoutMs,
        { intervalMs: 1_000, wakeup: events },
      ),
    async stop() {
      stop.abort();
      await done;
    },
  };
};

// A command typed in the lab terminal: recorded as the terminal records it, then run with kubectl.
const learnerRuns = async (args: string[]) => {
  await recordCommand(NAME, `kubectl ${args.join(' ')}`, 'shell');
  await execa('kubectl', ['--kubeconfig', kubeconfig, ...args]);
};

const nodesReady = async (): Promise<Record<string, boolean>> => {
  const nodes = await kubectlJson<{
    items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[];
  }>(kubeconfig, ['get', 'nodes']);
  return Object.fromEntries(
    nodes.items.map((n) => [
      n.metadata.name,
      n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    ]),
  );
};

describe('scenarios through the core server', () => {
  const temp = useTempHome();
  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME]);
    expect(up.exitCode, up.stderr).toBe(0);
    kubeconfig = labKubeconfigPath(NAME);
    created = createServices({ defaultLab: NAME, desktop: false });
    api = appRouter.createCaller(localContext(created.services));
  });
  afterAll(async () => {
    await created?.close();
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('lists the catalog and details a scenario; an unknown id names the catalog', async () => {
    const catalog = await listScenarios();
    expect((await api.scenarios.list()).map((s) => s.id)).toEqual(catalog.map((c) => c.scenario.id));
    const detail = await api.scenarios.get({ id: 'failover' });
    expect(detail.stepsDetail.map((s) => s.title)).toEqual(failover.steps.map((s) => s.title));
    expect(detail.stepsDetail[0]?.timeoutSeconds).toBe(300);
    const unknown = await failure(api.scenarios.start({ lab: NAME, id: 'no-such-scenario' }));
    expect(unknown.code).toBe('not-found');
    for (const { scenario } of catalog) expect(unknown.details.join(' ')).toContain(scenario.id);
    expect((await failure(api.scenarios.get({ id: 'nope' }))).code).toBe('not-found');
    expect((await failure(api.scenarios.hint({ lab: NAME }))).message).toBe(
      `no scenario is running on lab ${NAME}`,
    );
    expect(await api.scenarios.active({ lab: NAME })).toBeNull();
  });

  it(
    'plays failover with a hint to a passed debrief, and refuses a second start meanwhile',
    { timeout: 600_000 },
    async () => {
      const player = follow();
      try {
        const { runId, taskId } = await api.scenarios.start({ lab: NAME, id: 'failover' });
        expect((await api.tasks.get({ id: taskId })).kind).toBe('scenario');
        const second = await failure(api.scenarios.start({ lab: NAME, id: 'failover' }));
        expect(second.code).toBe('conflict');
        expect(second.message).toContain(`already running on lab ${NAME}`);
        expect(second.fix).toMatch(/abort it first/);

        // The step's time box starts once its fault is in.
        const first = await player.until(
          'step 1 running with its deadline',
          (v) => v.id === runId && v.steps[0]?.state === 'running' && v.steps[0].deadline !== undefined,
          120_000,
        );
        expect(first.taskId).toBe(taskId);
        expect(first.steadyStateBefore?.ok).toBe(true);
        expect(Date.parse(first.steps[0]?.deadline ?? '')).toBeGreaterThan(Date.now());

        const hinted = await api.scenarios.hint({ lab: NAME });
        expect(hinted.steps[0]?.hintsRevealed).toBe(1);
        expect(hinted.revealed).toEqual([
          { step: 'observe', kind: 'hint', text: failover.steps[0]!.hints[0], cost: -failover.scoring.hint },
        ]);

        // Step 1: look at the pods from the terminal; the evictions do the rest.
        await learnerRuns(['get', 'pods', '-o', 'wide']);
        await player.until(
          'step 1 passed and step 2 running',
          (v) => v.steps[0]?.state === 'passed' && v.steps[1]?.state === 'running',
          180_000,
        );
        // Step 2: backend-2 dies too; the learner reads why the pods are Pending.
        await learnerRuns(['get', 'pods', '--field-selector=status.phase=Pending']);
        await player.until('step 2 passed', (v) => v.steps[1]?.state === 'passed', 180_000);
        // Step 3: the learner brings the capacity back with the lab's CLI, as the step says.
        const heal = await cli(['node', 'heal', 'backend-1', 'backend-2', '--name', NAME]);
        expect(heal.exitCode, heal.stderr).toBe(0);
        const end = await player.until(
          'the run ended',
          (v) => v.id === runId && v.state !== 'running',
          240_000,
        );

        expect(end.reason).toBeUndefined();
        expect(end.state).toBe('passed');
        expect(end.steps.map((s) => s.state)).toEqual(['passed', 'passed', 'passed']);
        expect(end.steadyStateBefore?.ok).toBe(true);
        expect(end.steadyStateAfter?.ok).toBe(true);
        expect(end.maxScore).toBe((await api.scenarios.get({ id: 'failover' })).maxScore);
        // The score is the engine's: every step, minus the hint, plus what is left of the time bonus.
        const state = (await readRunState(runId))!;
        const elapsed = Date.parse(state.endedAt!) - Date.parse(state.startedAt);
        expect(Math.abs(end.score! - score(failover, state, elapsed))).toBeLessThanOrEqual(1);
        expect(end.score).toBeLessThanOrEqual(end.maxScore! - -failover.scoring.hint);
        expect(end.score).toBeGreaterThanOrEqual(3 * failover.scoring.step + failover.scoring.hint);

        const report = await api.scenarios.report({ runId });
        expect(report.run.state).toBe('passed');
        const texts = report.timeline.map((e) => e.text);
        expect(texts[0]).toBe(`run started: scenario failover on lab ${NAME}`);
        expect(texts).toContain(`hint 1 of step "${failover.steps[0]!.title}" revealed`);
        expect(texts).toContain('learner ran: kubectl get pods -o wide');
        expect(texts.filter((t) => / passed$/.test(t))).toHaveLength(3);
        expect(texts.at(-1)).toBe(`run ended: passed, score ${end.score}`);
        expect(report.markdown).toContain(`# ${failover.title} — passed`);
        expect(report.markdown).toContain(`Score: **${end.score}** of ${end.maxScore}`);
        expect(report.markdown).toContain('## Debrief');

        const task = await api.tasks.get({ id: taskId });
        expect(task.state).toBe('done');
        expect(task.steps.map((s) => s.title)).toContain(`Step 1/3: ${failover.steps[0]!.title}`);
        expect(await api.scenarios.active({ lab: NAME })).toMatchObject({ id: runId, state: 'passed' });
      } finally {
        await player.stop();
      }
    },
  );

  it(
    'aborts a running run from the server; the rollback heals the failed node',
    { timeout: 300_000 },
    async () => {
      const { runId } = await api.scenarios.start({ lab: NAME, id: 'failover', stepTimeout: '5m' });
      const player = follow();
      try {
        // Asked while the step's fault is still being injected: the runner takes it all the same.
        await player.until(
          'step 1 running',
          (v) => v.id === runId && v.steps[0]?.state === 'running',
          120_000,
        );
        const aborted = await api.scenarios.abort({ lab: NAME });
        expect(aborted.state).toBe('aborted');
        expect(aborted.steps[0]?.state).toBe('aborted');
        expect(aborted.score).toBe(0);
        const report = await api.scenarios.report({ runId });
        expect(report.timeline.map((e) => e.text)).toContain('rollback: healNode: healed backend-1');
        const runs = await api.scenarios.runs({ lab: NAME });
        expect(runs[0]?.id).toBe(runId);
        expect(runs.map((r) => r.state)).toEqual(['aborted', 'passed']);
        // The healed node reports Ready again within its heartbeat.
        await waitFor(
          'backend-1 Ready again (kubectl)',
          nodesReady,
          (ready) => ready['backend-1'] === true,
          60_000,
          {
            intervalMs: 1_000,
          },
        );
      } finally {
        await player.stop();
      }
    },
  );

  it(
    'drives a run the CLI started in another process: hint and abort through its files',
    { timeout: 300_000 },
    async () => {
      const runner = execa(
        process.execPath,
        [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', 'failover', '--name', NAME, '-o', 'json'],
        { cwd: REPO, reject: false, env: process.env },
      );
      const player = follow();
      try {
        const running = await player.until(
          'the CLI run at step 1',
          (v) => v.state === 'running' && v.steps[0]?.state === 'running' && v.taskId === undefined,
          120_000,
        );
        const refused = await failure(api.scenarios.start({ lab: NAME, id: 'failover' }));
        expect(refused.details.join(' ')).toContain(`by process ${runner.pid}`);
        const hinted = await api.scenarios.hint({ lab: NAME });
        expect(hinted.id).toBe(running.id);
        expect(hinted.revealed.map((r) => r.text)).toEqual([failover.steps[0]!.hints[0]]);
        const solved = await api.scenarios.solution({ lab: NAME });
        expect(solved.steps[0]?.solutionRevealed).toBe(true);
        expect(solved.revealed.at(-1)).toMatchObject({ kind: 'solution', cost: -failover.scoring.solution });
        const aborted = await api.scenarios.abort({ lab: NAME });
        expect(aborted.state).toBe('aborted');
        const result = JSON.parse(String((await runner).stdout)) as { state: string; score: number };
        expect(result.state).toBe('aborted');
        expect(result.score).toBe(aborted.score);
      } finally {
        runner.kill();
        await player.stop();
      }
    },
  );
});
