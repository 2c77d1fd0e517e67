// Scenarios for the UI: the catalog, runs started here (the runner works in this process, as a
// task), and hint / solution / abort through the same control file the CLI writes, so a run
// started by `kartstream scenario run` in a terminal can be driven from the UI and the other way
// round. Views are read from the run files, which every runner keeps current.
import type { StartScenarioInput } from '../../contract/inputs.ts';
import type { KartStreamServices } from '../../contract/services.ts';
import type { RunView } from '../../contract/wire-types.ts';
import { isAlive } from '../../exec/process-alive.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { openLab } from '../../lab/open-lab.ts';
import { findScenario, listScenarios } from '../../scenarios/catalog.ts';
import {
  activeRunId,
  readCommands,
  readRunState,
  readTimeline,
  requestControl,
  type ControlRequest,
  type RunState,
} from '../../scenarios/run-files.ts';
import { renderReport } from '../../scenarios/run-report.ts';
import { recoverStaleRun } from '../../scenarios/scenario-recovery.ts';
import { checkRunnable, runScenario } from '../../scenarios/scenario-runner.ts';
import type { LoadedScenario } from '../../scenarios/scenario-types.ts';
import { scenarioProgress } from './scenario-progress.ts';
import { checkRunId, RunStore } from './scenario-run-store.ts';
import { runView, scenarioDetail, scenarioSummary, timelineEntries, withCommands } from './scenario-views.ts';
import type { ServiceContext } from './service-context.ts';
import { labCommand, upCommand } from '../../home/lab-name.ts';

/** How long hint and solution wait for the runner to act (it reads requests between checks). */
const CONTROL_TIMEOUT_MS = 30_000;
/** Abort includes the rollback, which re-applies the shop. */
const ABORT_TIMEOUT_MS = 180_000;
/** Runs listed per lab. */
const MAX_RUNS = 50;
/** Lets a burst of file writes settle into one update. */
const SETTLE_MS = 50;

interface LiveRun {
  lab: string;
  title: string;
  taskId: string;
  runId?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const notRunning = (lab: string, recovered?: RunState) =>
  new KartStreamError('not-found', `no scenario is running on lab ${lab}`, {
    details: recovered ? [`run ${recovered.id} had stopped; it was rolled back`] : [],
    fix: 'start one from the scenario catalog',
  });

export const createScenariosService = (ctx: ServiceContext): KartStreamServices['scenarios'] => {
  const store = new RunStore();
  /** Runs started by this server that have not ended, by lab. */
  const live = new Map<string, LiveRun>();
  /** Labs where a start is being checked (so two clicks cannot start two runs). */
  const starting = new Set<string>();
  /** Every run this server started, with its task. */
  const taskOfRun = new Map<string, string>();

  const viewOf = async (id: string): Promise<RunView | undefined> => {
    const state = await readRunState(id);
    if (!state) return undefined;
    return runView(state, await store.scenarioOf(state), await readTimeline(id), taskOfRun.get(id));
  };

  // The run the player shows: the one running on the lab, else the lab's latest.
  const currentRunId = async (lab: string): Promise<string | undefined> =>
    live.get(lab)?.runId ?? (await activeRunId(lab)) ?? (await store.runIdsOf(lab, 1))[0];

  const current = async (lab: string): Promise<RunView | null> => {
    const id = await currentRunId(lab);
    return (id && (await viewOf(id))) || null;
  };

  // The lab's running run and whether its runner is gone (killed, crashed, machine restarted).
  const runningRun = async (lab: string): Promise<{ state: RunState; dead: boolean }> => {
    await requireLabRecord(lab);
    const entry = live.get(lab);
    const id = entry?.runId ?? (await activeRunId(lab));
    const state = id ? await readRunState(id) : undefined;
    if (state?.state !== 'running') throw notRunning(lab);
    const here = entry?.runId === state.id;
    return { state, dead: !here && (state.pid === process.pid || !isAlive(state.pid)) };
  };

  // A run already going on the lab, here or in another process, refuses a second one.
  const refuseSecondRun = async (lab: string): Promise<void> => {
    const entry = live.get(lab);
    const id = entry?.runId ?? (await activeRunId(lab));
    const read = id ? await readRunState(id) : undefined;
    const state = read?.state === 'running' ? read : undefined;
    const busy =
      entry !== undefined || (state !== undefined && state.pid !== process.pid && isAlive(state.pid));
    if (!busy) return;
    const title = state?.title ?? entry?.title;
    throw new KartStreamError(
      'conflict',
      `a scenario${title ? ` ("${title}")` : ''} is already running on lab ${lab}`,
      {
        details: state
          ? [
              `run ${state.id}, started ${state.startedAt}${state.pid === process.pid ? ' from this app' : ` by process ${state.pid}`}`,
            ]
          : [],
        fix: `abort it first (Abort in the scenario player, or ${labCommand('scenario abort', lab)}), or let it finish`,
      },
    );
  };

  // Waits until the run's state satisfies `done`, following its files; a clear error on timeout.
  const waitForRun = async (
    state: RunState,
    done: (s: RunState) => boolean,
    timeoutMs: number,
    what: ControlRequest['type'],
  ): Promise<RunView> => {
    const changes = store.changes(state.lab);
    changes.follow(state.id);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const now = await readRunState(state.id);
        if (now && done(now)) return (await viewOf(state.id)) as RunView;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new KartStreamError(
            'timeout',
            `the scenario runner has not acted on the ${what} request after ${Math.round(timeoutMs / 1000)} s`,
            {
              details: [`run ${state.id} on lab ${state.lab}, runner pid ${state.pid}`],
              fix: `the request stays queued and the runner acts on it at its next check; follow the run with ${labCommand('scenario status', state.lab)}`,
            },
          );
        await changes.next(left);
      }
    } finally {
      changes.close();
    }
  };

  const launch = async (lab: string, loaded: LoadedScenario, stepTimeout?: string) => {
    const { scenario } = loaded;
    const entry: LiveRun = { lab, title: scenario.title, taskId: '' };
    let runStarted: (id: string) => void = () => undefined;
    const idKnown = new Promise<string>((resolve) => (runStarted = resolve));
    const { taskId, done } = ctx.tasks.start(
      `Scenario "${scenario.title}" on lab ${lab}`,
      { kind: 'scenario', lab },
      async (task) => {
        const progress = scenarioProgress(task, scenario);
        const final = await runScenario({
          labName: lab,
          loaded,
          stepTimeout,
          signal: task.signal,
          onUpdate: (state, results) => {
            if (!entry.runId) {
              entry.runId = state.id;
              runStarted(state.id);
            }
            progress.update(state, results);
            store.notify(lab);
          },
          onReveal: (kind, text) => {
            task.log(`${kind} revealed: ${text}`);
            store.notify(lab);
          },
        });
        progress.end(final);
        return final;
      },
    );
    entry.taskId = taskId;
    live.set(lab, entry);
    const ended = () => {
      if (live.get(lab) === entry) live.delete(lab);
      store.notify(lab);
    };
    done.then(ended, ended);
    // The run id is known at the runner's first save; a refusal before it fails the start.
    const runId = await Promise.race([idKnown, done.then((s) => s.id)]);
    taskOfRun.set(runId, taskId);
    return { runId, taskId };
  };

  return {
    list: async () => (await listScenarios()).map((l) => scenarioSummary(l.scenario)),

    get: async (id) => scenarioDetail((await findScenario(id)).scenario),

    start: async ({ lab, id, stepTimeout }: StartScenarioInput) => {
      if (starting.has(lab))
        throw new KartStreamError('conflict', `a scenario is being started on lab ${lab}`, {
          fix: 'wait for it to start; abort it if you want to run another one',
        });
      starting.add(lab);
      try {
        await refuseSecondRun(lab);
        const loaded = await findScenario(id);
        const opened = await openLab(lab);
        if (opened.record.state !== 'ready')
          throw new KartStreamError('conflict', `lab ${lab} is ${opened.record.state}, not ready`, {
            fix:
              opened.record.state === 'creating'
                ? 'wait for the lab to be created, then start the scenario'
                : `delete the lab and create it again (${labCommand('down', lab)}; ${upCommand(lab)})`,
          });
        await checkRunnable(opened, loaded.scenario, loaded.file);
        return await launch(lab, loaded, stepTimeout);
      } finally {
        starting.delete(lab);
      }
    },

    active: async (lab) => {
      await requireLabRecord(lab);
      return current(lab);
    },

    watch: async function* (lab, signal) {
      await requireLabRecord(lab);
      const changes = store.changes(lab);
      let last: string | undefined;
      try {
        while (!signal.aborted) {
          const view = await current(lab);
          changes.follow(view?.id);
          const text = JSON.stringify(view);
          if (text !== last) {
            last = text;
            yield view;
          }
          await changes.next(Number.POSITIVE_INFINITY, signal);
          await sleep(SETTLE_MS);
        }
      } finally {
        changes.close();
      }
    },

    hint: async (lab) => {
      const { state, dead } = await runningRun(lab);
      if (dead) throw notRunning(lab, await recoverStaleRun(lab));
      const index = state.currentStep;
      const outcome = state.steps[index];
      if (!outcome || outcome.state !== 'running')
        throw new KartStreamError('conflict', 'the run is not in a step right now', {
          fix: 'ask for a hint once a step has started',
        });
      const step = (await store.scenarioOf(state))?.steps[index];
      if (step && outcome.hintsRevealed >= step.hints.length)
        throw new KartStreamError(
          'conflict',
          `step "${step.title}" has no more hints (${step.hints.length} of ${step.hints.length} shown)`,
          { fix: "reveal the solution if you are stuck (it costs the step's points)" },
        );
      await requestControl(state.id, 'hint');
      return waitForRun(
        state,
        (s) =>
          s.state !== 'running' ||
          s.currentStep !== index ||
          (s.steps[index]?.hintsRevealed ?? 0) > outcome.hintsRevealed,
        CONTROL_TIMEOUT_MS,
        'hint',
      );
    },

    solution: async (lab) => {
      const { state, dead } = await runningRun(lab);
      if (dead) throw notRunning(lab, await recoverStaleRun(lab));
      const index = state.currentStep;
      const outcome = state.steps[index];
      if (!outcome || outcome.state !== 'running')
        throw new KartStreamError('conflict', 'the run is not in a step right now', {
          fix: 'ask for the solution once a step has started',
        });
      if (!outcome.solutionRevealed) await requestControl(state.id, 'solution');
      return waitForRun(
        state,
        (s) => s.state !== 'running' || s.currentStep !== index || s.steps[index]?.solutionRevealed === true,
        CONTROL_TIMEOUT_MS,
        'solution',
      );
    },

    abort: async (lab) => {
      const { state, dead } = await runningRun(lab);
      if (dead) {
        await recoverStaleRun(lab);
        return (await viewOf(state.id)) as RunView;
      }
      // Outside its steps (setup, steady state) a runner reads no requests: a run of ours is
      // stopped through its task instead, which rolls it back the same way.
      const entry = live.get(lab);
      const inStep = state.steps[state.currentStep]?.state === 'running';
      if (inStep) await requestControl(state.id, 'abort');
      else if (entry?.runId === state.id) ctx.tasks.cancel(entry.taskId);
      else
        throw new KartStreamError(
          'conflict',
          `run ${state.id} is setting up or checking the steady state, when its runner takes no requests`,
          { fix: 'abort it once its first step runs, or stop it in its terminal (Ctrl-C)' },
        );
      return waitForRun(state, (s) => s.state !== 'running', ABORT_TIMEOUT_MS, 'abort');
    },

    report: async (runId) => {
      const state = await readRunState(checkRunId(runId));
      if (!state)
        throw new KartStreamError('not-found', `there is no run ${runId}`, {
          fix: "pick one of the lab's runs",
        });
      const scenario = await store.scenarioOf(state);
      const timeline = await readTimeline(state.id);
      const events = withCommands(state, timeline, await readCommands(state.lab));
      return {
        run: runView(state, scenario, timeline, taskOfRun.get(state.id)),
        timeline: timelineEntries(events, scenario),
        markdown: renderReport(scenario, state, events),
      };
    },

    runs: async (lab) => {
      await requireLabRecord(lab);
      const views = await Promise.all((await store.runIdsOf(lab, MAX_RUNS)).map(viewOf));
      return views.filter((v): v is RunView => v !== undefined);
    },
  };
};
