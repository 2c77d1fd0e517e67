// nodesReady: exactly `count` nodes of a pool are Ready.
import { isNodeReady } from '../../kube/readiness.ts';
import type { CheckHandler } from './check-handler.ts';

export const nodesReady: CheckHandler<'nodesReady'> = {
  evaluate: ({ store }, { pool, count }) => {
    const ready = store.nodes().filter((n) => n.metadata?.labels?.pool === pool && isNodeReady(n)).length;
    return { ok: ready === count, detail: `${ready} Ready in ${pool}, want ${count}` };
  },
};
