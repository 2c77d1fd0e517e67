// Scenarios for the UI: the catalog, runs started here (the runner works in this process, as a
// task), and hint / solution / abort through the same control file the CLI writes, so a run
// started by `kartstream scenario run` in a terminal can be driven from the UI and the other way
// round. Views are read from the run files, which every runner keeps current. The parts live in
// scenario-live-runs.ts (what is known about runs), scenario-start.ts and scenario-control.ts.
import type { KartStreamServices } from '../../contract/services.ts';
import type { RunView } from '../../contract/wire-types.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { findScenario, listScenarios } from '../../scenarios/catalog.ts';
import { readCommands, readRunState, readTimeline } from '../../scenarios/run-files.ts';
import { renderReport } from '../../scenarios/run-report.ts';
import { sleep } from '../../tasks/wait.ts';
import { abortRun, HINT, requestReveal, SOLUTION } from './scenario-control.ts';
import { LiveRuns } from './scenario-live-runs.ts';
import { checkRunId } from './scenario-run-store.ts';
import { startScenario } from './scenario-start.ts';
import { runView, scenarioDetail, scenarioSummary, timelineEntries, withCommands } from './scenario-views.ts';
import type { ServiceContext } from './service-context.ts';

/** Runs listed per lab. */
const MAX_RUNS = 50;
/** Lets a burst of file writes settle into one update. */
const SETTLE_MS = 50;

export const createScenariosService = (ctx: ServiceContext): KartStreamServices['scenarios'] => {
  const runs = new LiveRuns();
  return {
    list: async () => (await listScenarios()).map((l) => scenarioSummary(l.scenario)),

    get: async (id) => scenarioDetail((await findScenario(id)).scenario),

    start: (input) => startScenario(ctx, runs, input),

    active: async (lab) => {
      await requireLabRecord(lab);
      return runs.current(lab);
    },

    watch: async function* (lab, signal) {
      await requireLabRecord(lab);
      const changes = runs.store.changes(lab);
      let last: string | undefined;
      try {
        while (!signal.aborted) {
          const view = await runs.current(lab);
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

    hint: (lab) => requestReveal(runs, lab, HINT),

    solution: (lab) => requestReveal(runs, lab, SOLUTION),

    abort: (lab) => abortRun(ctx, runs, lab),

    report: async (runId) => {
      const state = await readRunState(checkRunId(runId));
      if (!state)
        throw new KartStreamError('not-found', `there is no run ${runId}`, {
          fix: "pick one of the lab's runs",
        });
      const scenario = await runs.store.scenarioOf(state);
      const timeline = await readTimeline(state.id);
      const events = withCommands(state, timeline, await readCommands(state.lab));
      return {
        run: runView(state, scenario, timeline, runs.taskOfRun.get(state.id)),
        timeline: timelineEntries(events, scenario),
        markdown: renderReport(scenario, state, events),
      };
    },

    runs: async (lab) => {
      await requireLabRecord(lab);
      const views = await Promise.all(
        (await runs.store.runIdsOf(lab, MAX_RUNS)).map((id) => runs.viewOf(id)),
      );
      return views.filter((v): v is RunView => v !== undefined);
    },
  };
};
