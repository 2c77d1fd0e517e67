// Runs a game day on a lab: claims the lab (one scenario or game day at a time), checks the
// steady state, then lands injects on schedule or on their condition while it follows the
// facilitator's requests, until the time box runs out or the facilitator ends it. At the end:
// the objectives as the team left them, the rollback, the steady state again, the customer
// impact. Every move goes to the lab's shared timeline; injects hidden until the end.
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { labCommand } from '../home/lab-name.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { ownStore, type StoreSource } from '../kube/shared-watch-stores.ts';
import { appendLabTimeline } from '../lab/lab-timeline.ts';
import { openLab } from '../lab/open-lab.ts';
import { readCustomerImpact } from '../monitoring/customer-impact.ts';
import { readLabMonitoring } from '../monitoring/lab-monitoring.ts';
import { claimRun, releaseRun } from '../scenarios/run-claim.ts';
import { runAction } from '../scenarios/scenario-actions.ts';
import { evaluateChecks } from '../scenarios/scenario-checks.ts';
import type { ScenarioContext } from '../scenarios/scenario-context.ts';
import { recoverStaleRun } from '../scenarios/scenario-recovery.ts';
import { durationMs, type Action, type Check } from '../scenarios/scenario-types.ts';
import { waitForChecks } from '../scenarios/step-wait.ts';
import { SYSTEM_ACTOR } from '../contract/timeline-types.ts';
import { sleep } from '../tasks/wait.ts';
import type { LoadedGameday } from './load-gameday.ts';
import type { Inject } from './gameday-schema.ts';
import {
  readGamedayControl,
  readGamedayState,
  writeGamedayState,
  type ChecksOutcome,
  type GamedayControl,
  type GamedayState,
} from './gameday-files.ts';
import {
  conditionReading,
  dueByOffset,
  gameElapsedMs,
  initialProgress,
  isArmed,
  timeBoxOver,
  type InjectProgress,
} from './inject-schedule.ts';
import { recoverStaleGameday } from './gameday-recovery.ts';

const TICK_MS = 500;
const STEADY_STATE_TIMEOUT_MS = 90_000;

export interface GamedayRunOptions {
  labName: string;
  loaded: LoadedGameday;
  /** Game time runs this many times faster than the wall clock (default 1). */
  speed?: number;
  /** Who started it (a person's name, or `local`). */
  actor: string;
  signal?: AbortSignal;
  onUpdate?: (state: GamedayState, line?: string) => void;
  /** Where the run's watch store comes from: its own (default), or the server's shared one. */
  stores?: StoreSource;
}

const quietTask = (signal: AbortSignal) => ({
  step: () => undefined,
  progress: () => undefined,
  log: () => undefined,
  signal,
  logPath: '',
});

const checksNow = async (ctx: ScenarioContext, checks: readonly Check[]): Promise<ChecksOutcome> => {
  const results = await evaluateChecks(ctx, checks, new Date(0));
  return { ok: results.every((r) => r.ok), checks: results };
};

const steadyState = async (
  ctx: ScenarioContext,
  checks: readonly Check[],
  signal: AbortSignal,
): Promise<ChecksOutcome> => {
  const waited = await waitForChecks(ctx, checks, {
    since: new Date(0),
    deadline: Date.now() + STEADY_STATE_TIMEOUT_MS,
    signal,
  });
  return waited.results.length
    ? { ok: waited.outcome === 'passed', checks: waited.results }
    : checksNow(ctx, checks);
};

// Runs actions in order; their failures are recorded, never thrown (a fault half-landed is still
// a game day going on, and a rollback must try every action).
const runActions = async (ctx: ScenarioContext, actions: readonly Action[]): Promise<string[]> => {
  const done: string[] = [];
  for (const action of actions)
    done.push(await runAction(ctx, action).catch((e: unknown) => `failed: ${(e as Error).message}`));
  return done;
};

export const runGameday = async (options: GamedayRunOptions): Promise<GamedayState> => {
  const { gameday, file } = options.loaded;
  const opened = await openLab(options.labName);
  const lab = opened.lab.name;
  await recoverStaleGameday(lab);
  await recoverStaleRun(lab);
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const speed = options.speed ?? 1;
  const id = `gameday-${new Date().toISOString().replace(/[:.]/g, '-')}-${gameday.id}-${randomBytes(2).toString('hex')}`;
  const startedAt = new Date().toISOString();
  await claimRun(lab, {
    id,
    pid: process.pid,
    scenario: gameday.id,
    title: gameday.title,
    startedAt,
    kind: 'game day',
  });
  const state: GamedayState = {
    id,
    gameday: gameday.id,
    title: gameday.title,
    file,
    lab,
    pid: process.pid,
    state: 'running',
    startedAt,
    clock: {
      startedAt: Date.now(),
      speed,
      pausedMs: 0,
      extendedMs: 0,
      timeBoxMs: durationMs(gameday.timeBox),
    },
    injects: initialProgress(gameday),
    hintsRevealed: 0,
  };
  const save = async (line?: string) => {
    await writeGamedayState(state);
    options.onUpdate?.(state, line);
  };
  const lease = (options.stores ?? ownStore)(opened.lab.kubeconfigPath);
  const store = lease.store;
  const ctx: ScenarioContext = {
    ...opened,
    clients: kubeClients(opened.lab.kubeconfigPath),
    store,
    monitoring: await readLabMonitoring(opened.lab, opened.record),
    namespace: opened.record.namespace,
    scenarioDir: dirname(file),
    runId: id,
    task: quietTask(controller.signal),
  };
  let started = false;
  try {
    await lease.start();
    await save('checking the steady state');
    state.steadyStateBefore = await steadyState(ctx, gameday.steadyState, controller.signal);
    if (!state.steadyStateBefore.ok)
      throw new KartStreamError(
        'cluster-failed',
        'the lab is not at its steady state, so the game day cannot start',
        {
          details: state.steadyStateBefore.checks.filter((c) => !c.ok).map((c) => `${c.text}: ${c.detail}`),
          fix: labCommand('reset', lab),
        },
      );
    state.clock.startedAt = Date.now();
    started = true;
    await appendLabTimeline(lab, {
      kind: 'gameday',
      actor: options.actor,
      text: `game day "${gameday.title}" started (time box ${gameday.timeBox})`,
      data: {
        event: 'started',
        gameday: gameday.id,
        run: id,
        briefing: gameday.briefing,
        roles: gameday.roles,
      },
    });
    await save(`started: ${gameday.title}`);
    await play(ctx, options, state, controller.signal, save);
  } catch (error) {
    state.endReason = controller.signal.aborted ? 'interrupted' : (error as Error).message;
    if (!started) {
      state.state = 'ended';
      state.endedAt = new Date().toISOString();
      await lease.release();
      await save();
      await releaseRun(lab, id);
      throw error;
    }
  }
  try {
    await finish(ctx, options.loaded, state, save);
  } finally {
    await lease.release();
    await releaseRun(lab, id);
  }
  return state;
};

const landInject = async (
  ctx: ScenarioContext,
  state: GamedayState,
  inject: Inject,
  by: InjectProgress['landedBy'],
  actor: string,
) => {
  const progress = state.injects.find((p) => p.id === inject.id)!;
  progress.landedAt = new Date().toISOString();
  progress.landedBy = by;
  const done = await runActions(ctx, inject.do);
  await appendLabTimeline(ctx.lab.name, {
    kind: 'inject',
    actor,
    hidden: true,
    text: `${inject.title} (${done.join('; ')})`,
    data: { inject: inject.id, by, run: state.id },
  });
};

// The game itself: a tick that reads the facilitator's requests, lands what is due, and stops at
// the end of the time box or on `end`.
const play = async (
  ctx: ScenarioContext,
  options: GamedayRunOptions,
  state: GamedayState,
  signal: AbortSignal,
  save: (line?: string) => Promise<void>,
) => {
  const { gameday } = options.loaded;
  const lab = ctx.lab.name;
  let handled = (await readGamedayControl(lab)).length;
  const gamedayEntry = (actor: string, text: string, event: string, data: Record<string, unknown> = {}) =>
    appendLabTimeline(lab, { kind: 'gameday', actor, text, data: { event, run: state.id, ...data } });
  for (;;) {
    if (signal.aborted) throw new Error('interrupted');
    const requests = (await readGamedayControl(lab)).slice(handled);
    handled += requests.length;
    for (const request of requests) {
      const ended = await obey(ctx, options, state, request, gamedayEntry);
      await save(`${request.by}: ${request.type}`);
      if (ended) return;
    }
    const now = Date.now();
    if (timeBoxOver(state.clock, now)) {
      state.endReason = `the time box (${gameday.timeBox}) ran out`;
      await gamedayEntry(SYSTEM_ACTOR, state.endReason, 'time-box');
      return;
    }
    if (state.state === 'running') {
      for (const inject of dueByOffset(gameday, state.injects, gameElapsedMs(state.clock, now))) {
        await landInject(ctx, state, inject, 'schedule', SYSTEM_ACTOR);
        await save(`inject landed: ${inject.title}`);
      }
      for (const inject of gameday.injects.filter((i) => isArmed(i, state.injects))) {
        const holds = (await checksNow(ctx, inject.when ?? [])).ok;
        if (
          conditionReading(
            state.injects.find((p) => p.id === inject.id)!,
            holds,
          )
        ) {
          await landInject(ctx, state, inject, 'condition', SYSTEM_ACTOR);
          await save(`inject landed: ${inject.title}`);
        }
      }
    }
    await sleep(TICK_MS, signal).catch(() => undefined);
  }
};

// One facilitator request; true when it ends the game day.
const obey = async (
  ctx: ScenarioContext,
  options: GamedayRunOptions,
  state: GamedayState,
  request: GamedayControl,
  entry: (actor: string, text: string, event: string, data?: Record<string, unknown>) => Promise<unknown>,
): Promise<boolean> => {
  const { gameday } = options.loaded;
  const now = Date.now();
  switch (request.type) {
    case 'pause':
      if (state.state !== 'running') return false;
      state.state = 'paused';
      state.clock.pausedAt = now;
      await entry(request.by, 'game day paused', 'paused');
      return false;
    case 'resume':
      if (state.state !== 'paused' || state.clock.pausedAt === undefined) return false;
      state.clock.pausedMs += now - state.clock.pausedAt;
      delete state.clock.pausedAt;
      state.state = 'running';
      await entry(request.by, 'game day resumed', 'resumed');
      return false;
    case 'extend':
      state.clock.extendedMs += request.minutes * 60_000;
      await entry(request.by, `time box extended by ${request.minutes} min`, 'extended', {
        minutes: request.minutes,
      });
      return false;
    case 'inject': {
      const inject = gameday.injects.find((i) => i.id === request.inject);
      const progress = state.injects.find((p) => p.id === request.inject);
      if (inject && progress && progress.landedAt === undefined)
        await landInject(ctx, state, inject, 'facilitator', request.by);
      return false;
    }
    case 'hint': {
      const hint = gameday.hints[state.hintsRevealed];
      if (hint === undefined) return false;
      state.hintsRevealed += 1;
      await appendLabTimeline(ctx.lab.name, {
        kind: 'hint',
        actor: request.by,
        text: hint,
        data: { index: state.hintsRevealed, of: gameday.hints.length, run: state.id },
      });
      return false;
    }
    case 'end':
      state.endReason = `ended by ${request.by}`;
      await entry(request.by, state.endReason, 'end-requested');
      return true;
  }
};

// The end: objectives as the team left them, rollback, steady state, customer impact; then the
// injects are no longer secret.
const finish = async (
  ctx: ScenarioContext,
  loaded: LoadedGameday,
  state: GamedayState,
  save: (line?: string) => Promise<void>,
) => {
  const { gameday } = loaded;
  if (state.clock.pausedAt !== undefined) {
    state.clock.pausedMs += Date.now() - state.clock.pausedAt;
    delete state.clock.pausedAt;
  }
  state.objectives = await checksNow(ctx, gameday.objectives);
  const rolledBack = await runActions(ctx, gameday.rollback);
  state.rolledBack = true;
  await save(`rolled back: ${rolledBack.join('; ') || 'nothing to roll back'}`);
  const signal = new AbortController().signal;
  state.steadyStateAfter = await steadyState(ctx, gameday.steadyState, signal);
  state.customerImpact = await readCustomerImpact(ctx.monitoring?.prometheus, {
    from: new Date(state.startedAt),
    to: new Date(),
  });
  state.state = 'ended';
  state.endedAt = new Date().toISOString();
  await appendLabTimeline(ctx.lab.name, {
    kind: 'gameday',
    actor: SYSTEM_ACTOR,
    text: `game day ended (${state.endReason ?? 'ended'}); injects revealed; steady state ${state.steadyStateAfter.ok ? 'held' : 'did not hold'} after the rollback`,
    data: { event: 'ended', run: state.id, revealInjects: true, objectivesMet: state.objectives.ok },
  });
  await save('ended');
};

/** The lab's game day while it runs (after rolling back one whose runner died). */
export const activeGameday = async (lab: string): Promise<GamedayState | undefined> => {
  await recoverStaleGameday(lab);
  const state = await readGamedayState(lab);
  return state && state.state !== 'ended' ? state : undefined;
};
