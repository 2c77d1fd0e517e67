// podsOnPool: the pods a selector matches exist and all run on nodes of one pool.
import type { CheckHandler } from './check-handler.ts';
import { livePods, matchesSelector, poolOfNodes } from './cluster-reads.ts';

export const podsOnPool: CheckHandler<'podsOnPool'> = {
  evaluate: (ctx, { selector, pool }) => {
    const poolOf = poolOfNodes(ctx);
    const pods = livePods(ctx).filter((p) => matchesSelector(p.metadata?.labels, selector));
    const off = pods.filter((p) => poolOf.get(p.spec?.nodeName) !== pool);
    return {
      ok: pods.length > 0 && off.length === 0,
      detail:
        pods.length === 0
          ? 'no pods match'
          : off.length
            ? `${off.length} pod(s) not on ${pool}`
            : `${pods.length} on ${pool}`,
    };
  },
};
