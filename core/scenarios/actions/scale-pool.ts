// scalePool: a node pool gets `nodes` nodes, through the backend.
import type { ActionHandler } from './action-handler.ts';

export const scalePool: ActionHandler<'scalePool'> = {
  cannotRun: (_args, capabilities, backend) =>
    capabilities.shrinkPool
      ? undefined
      : (capabilities.unsupported.shrinkPool ?? `${backend} cannot scale node pools`),
  run: async (ctx, { pool, nodes }) => {
    await ctx.backend.scalePool(ctx.lab, pool, nodes, ctx.task);
    return `pool ${pool} scaled to ${nodes}`;
  },
};
