// noPodsOn: no pod (matching a selector) runs on a node, or on any node of a pool.
import type { CheckHandler } from './check-handler.ts';
import { livePods, matchesSelector, poolOfNodes } from './cluster-reads.ts';

export const noPodsOn: CheckHandler<'noPodsOn'> = {
  evaluate: (ctx, { node, pool, selector }) => {
    const poolOf = poolOfNodes(ctx);
    const on = livePods(ctx).filter(
      (p) =>
        matchesSelector(p.metadata?.labels, selector) &&
        ((node && p.spec?.nodeName === node) || (pool && poolOf.get(p.spec?.nodeName) === pool)),
    );
    return { ok: on.length === 0, detail: on.length ? `${on.length} pod(s) still there` : 'none' };
  },
};
