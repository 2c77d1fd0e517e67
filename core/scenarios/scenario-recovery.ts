// Rollback, which always runs, and the recovery of a run whose runner died: the next scenario
// command on the lab rolls it back and marks it aborted.
import { dirname } from 'node:path';
import { appendTimeline, clearActiveRun, readRunState, writeRunState, type RunState } from './run-files.ts';
import { isClaimLive, readRunClaim } from './run-claim.ts';
import { runAction } from './scenario-actions.ts';
import { openScenarioContext, type ScenarioContext } from './scenario-context.ts';
import { actionName, type Scenario } from './scenario-types.ts';

// Rollback always runs, whatever happened; its own failures are recorded, not thrown.
export const rollback = async (ctx: ScenarioContext, scenario: Scenario, state: RunState): Promise<void> => {
  for (const action of scenario.rollback) {
    try {
      const done = await runAction(ctx, action);
      await appendTimeline(state.id, {
        type: 'action',
        phase: 'rollback',
        action: actionName(action),
        detail: done,
      });
    } catch (error) {
      await appendTimeline(state.id, {
        type: 'rollback-failed',
        action: actionName(action),
        error: (error as Error).message,
      });
    }
  }
  state.rolledBack = true;
};

// A run whose runner died (killed, crashed, machine restarted) is rolled back by the next
// scenario command on its lab, and marked aborted.
export const recoverStaleRun = async (labName: string): Promise<RunState | undefined> => {
  const claim = await readRunClaim(labName);
  if (!claim) return undefined;
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
    try {
      await appendTimeline(id, {
        type: 'recovered',
        reason: `the runner (pid ${state.pid}) stopped mid-run`,
      });
      await rollback(ctx, loaded.scenario, state);
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
  }
  await clearActiveRun(labName);
  return state;
};
