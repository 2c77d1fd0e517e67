// failNode: nodes stop reporting Ready, by name or the first `count` of a pool.
import { KartStreamError } from '../../errors/kartstream-error.ts';
import type { ScenarioContext } from '../scenario-context.ts';
import type { ActionHandler } from './action-handler.ts';

const nodesOfPool = (ctx: ScenarioContext, pool: string) =>
  ctx.store
    .nodes()
    .filter((n) => n.metadata?.labels?.pool === pool)
    .map((n) => n.metadata?.name ?? '')
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

export const failNode: ActionHandler<'failNode'> = {
  cannotRun: (_args, capabilities, backend) =>
    capabilities.failNode ? undefined : (capabilities.unsupported.failNode ?? `${backend} cannot fail nodes`),
  run: async (ctx, { node, pool, count = 1 }) => {
    const targets = node ? [node] : nodesOfPool(ctx, pool ?? '').slice(0, count);
    if (targets.length === 0) throw new KartStreamError('not-found', `failNode: no node in pool ${pool}`);
    for (const t of targets) await ctx.backend.failNode(ctx.lab, t);
    return `failed ${targets.join(', ')}`;
  },
};
