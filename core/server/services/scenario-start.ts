// Starting a scenario from the UI: refuse a second run and a lab that is not ready, then run it
// in this process as a task, and answer once the runner has saved its run (its id is known).
import { recoverStaleGameday } from '../../gameday/gameday-recovery.ts';
import type { StartScenarioInput } from '../../contract/inputs.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { openLab } from '../../lab/open-lab.ts';
import { findScenario } from '../../scenarios/catalog.ts';
import { checkRunnable, runScenario } from '../../scenarios/scenario-runner.ts';
import type { LoadedScenario } from '../../scenarios/scenario-types.ts';
import type { LiveRun, LiveRuns } from './scenario-live-runs.ts';
import { scenarioProgress } from './scenario-progress.ts';
import type { ServiceContext } from './service-context.ts';
import { labCommand, upCommand } from '../../home/lab-name.ts';

// Checks that the scenario can start on the lab, then launches it.
export const startScenario = async (
  ctx: ServiceContext,
  runs: LiveRuns,
  { lab, id, stepTimeout }: StartScenarioInput,
): Promise<{ runId: string; taskId: string }> => {
  if (runs.starting.has(lab))
    throw new KartStreamError('conflict', `a scenario is being started on lab ${lab}`, {
      fix: 'wait for it to start; abort it if you want to run another one',
    });
  runs.starting.add(lab);
  try {
    // A game day whose runner died gives the lab back (rolled back) before a scenario claims it.
    await recoverStaleGameday(lab);
    await runs.refuseSecondRun(lab);
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
    return await launch(ctx, runs, lab, loaded, stepTimeout);
  } finally {
    runs.starting.delete(lab);
  }
};

// Runs the scenario as a task; resolves with the run id once the runner has saved the run.
const launch = async (
  ctx: ServiceContext,
  runs: LiveRuns,
  lab: string,
  loaded: LoadedScenario,
  stepTimeout?: string,
): Promise<{ runId: string; taskId: string }> => {
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
        stores: ctx.stores.lease,
        onUpdate: (state, results) => {
          if (!entry.runId) {
            entry.runId = state.id;
            runStarted(state.id);
          }
          progress.update(state, results);
          runs.store.notify(lab);
        },
        onReveal: (kind, text) => {
          task.log(`${kind} revealed: ${text}`);
          runs.store.notify(lab);
        },
      });
      progress.end(final);
      return final;
    },
  );
  entry.taskId = taskId;
  runs.live.set(lab, entry);
  const ended = () => {
    if (runs.live.get(lab) === entry) runs.live.delete(lab);
    runs.store.notify(lab);
  };
  done.then(ended, ended);
  // The run id is known at the runner's first save; a refusal before it fails the start.
  const runId = await Promise.race([idKnown, done.then((s) => s.id)]);
  runs.taskOfRun.set(runId, taskId);
  return { runId, taskId };
};
