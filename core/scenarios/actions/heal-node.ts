// healNode: failed nodes come back, by name, in a pool, or all of them.
import { FAULT_LABEL } from '../../backends/sim/pod-faults.ts';
import type { ActionHandler } from './action-handler.ts';

export const healNode: ActionHandler<'healNode'> = {
  run: async (ctx, { node, pool }) => {
    const faulted = ctx.store
      .nodes()
      .filter(
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
