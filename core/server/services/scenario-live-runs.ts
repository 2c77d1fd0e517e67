// What the scenarios service knows about runs: the runs this server started (by lab), the labs
// where a start is being checked, the task of each run, and the reads every call shares (a run's
// view, the lab's current and running run, waiting for a run to act).
import type { RunView } from '../../contract/wire-types.ts';
import { isAlive } from '../../exec/process-alive.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import {
  activeRunId,
  readRunState,
  readTimeline,
  type ControlRequest,
  type RunState,
} from '../../scenarios/run-files.ts';
import { RunStore } from './scenario-run-store.ts';
import { runView } from './scenario-views.ts';
import { labCommand } from '../../home/lab-name.ts';
import { noScenarioRunning } from '../../gameday/gameday-files.ts';

/** A run started by this server that has not ended. */
export interface LiveRun {
  lab: string;
  title: string;
  taskId: string;
  runId?: string;
}

/** The error for a lab without a running scenario (and what happened to a stopped one). */
export const notRunning = (lab: string, recovered?: RunState): Promise<KartStreamError> =>
  noScenarioRunning(lab, 'start one from the scenario catalog', recovered?.id);

export class LiveRuns {
  readonly store = new RunStore();
  /** Runs started by this server that have not ended, by lab. */
  readonly live = new Map<string, LiveRun>();
  /** Labs where a start is being checked (so two clicks cannot start two runs). */
  readonly starting = new Set<string>();
  /** Every run this server started, with its task. */
  readonly taskOfRun = new Map<string, string>();

  async viewOf(id: string): Promise<RunView | undefined> {
    const state = await readRunState(id);
    if (!state) return undefined;
    return runView(state, await this.store.scenarioOf(state), await readTimeline(id), this.taskOfRun.get(id));
  }

  // The run the player shows: the one running on the lab, else the lab's latest.
  async currentRunId(lab: string): Promise<string | undefined> {
    return this.live.get(lab)?.runId ?? (await activeRunId(lab)) ?? (await this.store.runIdsOf(lab, 1))[0];
  }

  async current(lab: string): Promise<RunView | null> {
    const id = await this.currentRunId(lab);
    return (id && (await this.viewOf(id))) || null;
  }

  // The lab's running run and whether its runner is gone (killed, crashed, machine restarted).
  async runningRun(lab: string): Promise<{ state: RunState; dead: boolean }> {
    await requireLabRecord(lab);
    const entry = this.live.get(lab);
    const id = entry?.runId ?? (await activeRunId(lab));
    const state = id ? await readRunState(id) : undefined;
    if (state?.state !== 'running') throw await notRunning(lab);
    const here = entry?.runId === state.id;
    return { state, dead: !here && (state.pid === process.pid || !isAlive(state.pid)) };
  }

  // A run already going on the lab, here or in another process, refuses a second one.
  async refuseSecondRun(lab: string): Promise<void> {
    const entry = this.live.get(lab);
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
  }

  // Waits until the run's state satisfies `done`, following its files; a clear error on timeout.
  async waitForRun(
    state: RunState,
    done: (s: RunState) => boolean,
    timeoutMs: number,
    what: ControlRequest['type'],
  ): Promise<RunView> {
    const changes = this.store.changes(state.lab);
    changes.follow(state.id);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const now = await readRunState(state.id);
        if (now && done(now)) return (await this.viewOf(state.id)) as RunView;
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
  }
}
