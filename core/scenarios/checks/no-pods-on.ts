// noPodsOn: no pod (matching a selector) runs on a node, on any node of a pool, or in a zone.
import { nodeZone } from '../../topology/zones.ts';
import type { CheckHandler } from './check-handler.ts';
import { livePods, matchesSelector, poolOfNodes } from './cluster-reads.ts';

export const noPodsOn: CheckHandler<'noPodsOn'> = {
  evaluate: (ctx, { node, pool, zone, selector }) => {
    const poolOf = poolOfNodes(ctx);
    const zoneOf = new Map(ctx.store.nodes().map((n) => [n.metadata?.name, nodeZone(n)]));
    const on = livePods(ctx).filter(
      (p) =>
        matchesSelector(p.metadata?.labels, selector) &&
        ((node && p.spec?.nodeName === node) ||
          (pool && poolOf.get(p.spec?.nodeName) === pool) ||
          (zone && zoneOf.get(p.spec?.nodeName) === zone)),
    );
    return { ok: on.length === 0, detail: on.length ? `${on.length} pod(s) still there` : 'none' };
  },
};
