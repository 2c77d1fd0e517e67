// Rollback, which always runs, and the recovery of a run whose runner died (killed, crashed,
// machine restarted): the next scenario command on the lab, or the next server start, rolls it
// back with the scenario's own rollback actions, marks it aborted and says so in the lab's
// timeline.
import { dirname } from 'node:path';
import { SYSTEM_ACTOR } from '../contract/timeline-types.ts';
import { labCommand } from '../home/lab-name.ts';
import { appendLabTimeline } from '../lab/lab-timeline.ts';
import { appendTimeline, clearActiveRun, readRunState, writeRunState, type RunState } from './run-files.ts';
import { isClaimLive, readRunClaim } from './run-claim.ts';
import { runAction } from './scenario-actions.ts';
import { openScenarioContext, type ScenarioContext } from './scenario-context.ts';
import { actionName, type Scenario } from './scenario-types.ts';

// Rollback always runs, whatever happened, every action of it: its own failures are recorded,
// not thrown (and returned, as "action: error"), and a timeline that cannot be written (a full
// disk) does not stop it.
export const rollback = async (ctx: ScenarioContext, scenario: Scenario, state: RunState): Promise<string[]> => {
  const failed: string[] = [];
  // The run's end says what could not be written; the faults must go whatever the disk says.
  const record = (event: Parameters<typeof appendTimeline>[1]) =>
    appendTimeline(state.id, event).catch(() => undefined);
  for (const action of scenario.rollback) {
    try {
      const done = await runAction(ctx, action);
      await record({ type: 'action', phase: 'rollback', action: actionName(action), detail: done });
    } catch (error) {
      failed.push(`${actionName(action)}: ${(error as Error).message}`);
      await record({ type: 'rollback-failed', action: actionName(action), error: (error as Error).message });
    }
  }
  state.rolledBack = true;
  return failed;
};

// Recoveries going on in this process, by lab: a server start and a scenario command that both
// find the dead run roll it back once.
const recovering = new Map<string, Promise<RunState | undefined>>();

// A run whose runner died (killed, crashed, machine restarted) is rolled back by the next
// scenario command on its lab (or the next server start), and marked aborted.
export const recoverStaleRun = (labName: string): Promise<RunState | undefined> => {
  const going = recovering.get(labName);
  if (going) return going;
  const recovery = recover(labName).finally(() => recovering.delete(labName));
  recovering.set(labName, recovery);
  return recovery;
};

const recover = async (labName: string): Promise<RunState | undefined> => {
  const claim = await readRunClaim(labName);
  if (!claim) return undefined;
  // A dead game day's claim is left to the game day's own recovery (its faults are the game
  // day's; the layer above calls recoverStaleGameday first): until then the lab stays claimed.
  if (claim.kind === 'game day') return undefined;
  const id = claim.id;
  const state = await readRunState(id);
  // A live runner keeps its claim, also while it starts (no run state yet); a run that ended
  // has nothing left to hold. Claims written before they named their process use the state's.
  const pid = claim.pid ?? state?.pid;
  const ended = state !== undefined && state.state !== 'running';
  if (!ended && pid !== undefined && isClaimLive({ id, pid })) return undefined;
  if (state && state.state === 'running') {
    const { loadScenarioFile } = await import('./load-scenario.ts');
    const loaded = await loadScenarioFile(state.scenarioFile);
    const ctx = await openScenarioContext(labName, id, dirname(state.scenarioFile));
    let failed: string[];
    try {
      await appendTimeline(id, {
        type: 'recovered',
        reason: `the runner (pid ${state.pid}) stopped mid-run`,
      });
      failed = await rollback(ctx, loaded.scenario, state);
    } finally {
      await ctx.store.stop();
    }
    Object.assign(state, {
      state: 'aborted',
      endedAt: new Date().toISOString(),
      reason: `the runner (pid ${state.pid}) stopped mid-run; rolled back by the next command`,
    });
    for (const s of state.steps) if (s.state === 'running') s.state = 'aborted';
    await writeRunState(state);
    await appendTimeline(id, { type: 'run-end', state: state.state });
    await appendLabTimeline(labName, {
      kind: 'scenario',
      actor: SYSTEM_ACTOR,
      text:
        `scenario "${state.title}" was interrupted: its runner (pid ${state.pid}) stopped mid-run; ` +
        (failed.length === 0
          ? `its faults were rolled back (${loaded.scenario.rollback.map(actionName).join(', ') || 'nothing to undo'})`
          : `its rollback failed in part (${failed.join('; ')}); fix: ${labCommand('reset', labName)}`),
      data: { event: 'recovered', run: id, scenario: state.scenario, rollbackFailed: failed },
    });
  }
  await clearActiveRun(labName);
  return state;
};
