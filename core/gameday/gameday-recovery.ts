// A game day whose runner died (killed, crashed, machine restarted) is rolled back by the next
// game-day command on its lab, and marked ended, so its faults never outlive it.
import { dirname } from 'node:path';
import { isAlive } from '../exec/process-alive.ts';
import { appendLabTimeline } from '../lab/lab-timeline.ts';
import { SYSTEM_ACTOR } from '../contract/timeline-types.ts';
import { releaseRun } from '../scenarios/run-claim.ts';
import { runAction } from '../scenarios/scenario-actions.ts';
import { openScenarioContext } from '../scenarios/scenario-context.ts';
import { readGamedayState, writeGamedayState } from './gameday-files.ts';
import { loadGamedayFile } from './load-gameday.ts';

export const recoverStaleGameday = async (lab: string): Promise<boolean> => {
  const state = await readGamedayState(lab);
  if (!state || state.state === 'ended' || state.pid === process.pid || isAlive(state.pid)) return false;
  const { gameday } = await loadGamedayFile(state.file);
  const ctx = await openScenarioContext(lab, state.id, dirname(state.file));
  try {
    for (const action of gameday.rollback) await runAction(ctx, action).catch(() => undefined);
  } finally {
    await ctx.store.stop();
  }
  Object.assign(state, {
    state: 'ended',
    rolledBack: true,
    endedAt: new Date().toISOString(),
    endReason: `the runner (pid ${state.pid}) stopped; rolled back by the next command`,
  });
  await writeGamedayState(state);
  await appendLabTimeline(lab, {
    kind: 'gameday',
    actor: SYSTEM_ACTOR,
    text: state.endReason ?? 'recovered',
    data: { event: 'ended', run: state.id, revealInjects: true },
  });
  await releaseRun(lab, state.id);
  return true;
};
