// uncordonNode: a node, or every node of a pool, takes new pods again (`kubectl uncordon`).
import { setUnschedulable } from '../../kube/drain-node.ts';
import type { ActionHandler } from './action-handler.ts';

export const uncordonNode: ActionHandler<'uncordonNode'> = {
  run: async (ctx, { node, pool }) => {
    const targets = node
      ? [node]
      : // Fresh from the API server: a cordon made just before must be seen (the watch may lag).
        (await ctx.clients.core.listNode()).items
          .filter((n) => n.metadata?.labels?.pool === pool && n.spec?.unschedulable)
          .map((n) => n.metadata?.name ?? '');
    await Promise.all(targets.map((t) => setUnschedulable(ctx.clients, t, false)));
    return targets.length ? `uncordoned ${targets.join(', ')}` : `no cordoned node in pool ${pool}`;
  },
};
