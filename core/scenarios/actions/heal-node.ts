// healNode: failed nodes come back, by name, in a pool, or all of them.
import { FAULT_LABEL } from '../../backends/sim/pod-faults.ts';
import type { ActionHandler } from './action-handler.ts';

export const healNode: ActionHandler<'healNode'> = {
  run: async (ctx, { node, pool }) => {
    // Read from the API server, not the watch cache: a rollback right after a failNode must see
    // the fault even when the watch has not delivered it yet.
    const nodes = node ? [] : (await ctx.clients.core.listNode()).items;
    const faulted = nodes.filter(
      (n) =>
        n.metadata?.labels?.[FAULT_LABEL] ||
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status !== 'True'),
    );
    const targets = node
      ? [node]
      : faulted.filter((n) => !pool || n.metadata?.labels?.pool === pool).map((n) => n.metadata?.name ?? '');
    for (const t of targets) await ctx.backend.healNode(ctx.lab, t);
    return targets.length ? `healed ${targets.join(', ')}` : 'no node needed healing';
  },
};
