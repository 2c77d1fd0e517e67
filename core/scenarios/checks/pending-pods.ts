// pendingPods: the number of Pending pods (matching a selector) is within min..max.
import type { CheckHandler } from './check-handler.ts';
import { livePods, matchesSelector } from './cluster-reads.ts';

export const pendingPods: CheckHandler<'pendingPods'> = {
  evaluate: (ctx, { min, max, selector }) => {
    const pending = livePods(ctx).filter(
      (p) => p.status?.phase === 'Pending' && matchesSelector(p.metadata?.labels, selector),
    ).length;
    return {
      ok: (min === undefined || pending >= min) && (max === undefined || pending <= max),
      detail: `${pending} Pending`,
    };
  },
};
