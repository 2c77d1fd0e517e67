// `reset`: back to the clean baseline without recreating the cluster: any run is rolled back,
// failed nodes healed, pools back to the topology's sizes, the shop re-applied and its broken
// pods replaced.
import { join } from 'node:path';
import { removeLabRules } from '../monitoring/lab-rules.ts';
import { waitUntil } from '../tasks/wait.ts';
import { openScenarioContext } from './scenario-context.ts';
import { runAction } from './scenario-actions.ts';
import { recoverStaleRun } from './scenario-recovery.ts';
import { activeRunId, readRunState, requestControl } from './run-files.ts';
import type { Action } from './scenario-types.ts';
import { isAlive } from '../exec/process-alive.ts';
import { labDir } from '../home/paths.ts';
import { withLabLock } from '../lab/lab-lock.ts';

export const resetLab = (name: string, log: (line: string) => void): Promise<void> =>
  withLabLock(name, 'reset', () => resetLocked(name, log));

const resetLocked = async (name: string, log: (line: string) => void): Promise<void> => {
  // A live run is asked to abort (its runner rolls back); a dead one is rolled back here.
  const id = await activeRunId(name);
  const state = id ? await readRunState(id) : undefined;
  if (id && state?.state === 'running' && isAlive(state.pid)) {
    log(`asking the running scenario ${state.scenario} to abort`);
    await requestControl(id, 'abort');
    await waitUntil(async () => (await activeRunId(name)) !== id, { timeoutMs: 60_000 });
  }
  await recoverStaleRun(name);
  const ctx = await openScenarioContext(name, 'reset', join(labDir(name)));
  try {
    const actions: Action[] = [
      { healNode: {} },
      ...ctx.lab.topology.pools.map((p): Action => ({ scalePool: { pool: p.name, nodes: p.nodes } })),
      { restoreShop: {} },
    ];
    for (const action of actions) log(await runAction(ctx, action));
    // Rules a learner added are not part of the baseline.
    if (ctx.monitoring && (await removeLabRules(ctx.lab, ctx.monitoring)))
      log("removed the learner's own alert rules");
  } finally {
    await ctx.store.stop();
  }
};
