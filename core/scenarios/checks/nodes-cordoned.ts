// nodesCordoned: exactly `count` nodes of a pool are cordoned (unschedulable); with `drained`,
// each of them also runs no pod a drain would evict (DaemonSet and static pods stay).
import { staysOnNode } from '../../kube/drain-node.ts';
import type { CheckHandler } from './check-handler.ts';

export const nodesCordoned: CheckHandler<'nodesCordoned'> = {
  evaluate: ({ store }, { pool, count, drained }) => {
    const cordoned = store
      .nodes()
      .filter((n) => n.metadata?.labels?.pool === pool && n.spec?.unschedulable)
      .map((n) => n.metadata?.name ?? '');
    const left = (node: string) =>
      store.pods().filter((p) => p.spec?.nodeName === node && !p.metadata?.deletionTimestamp && !staysOnNode(p)).length;
    const busy = drained ? cordoned.filter((n) => left(n) > 0) : [];
    const detail = `${cordoned.length} cordoned in ${pool}${cordoned.length ? ` (${cordoned.join(', ')})` : ''}, want ${count}`;
    return {
      ok: cordoned.length === count && busy.length === 0,
      detail: busy.length ? `${detail}; pods still on ${busy.map((n) => `${n}: ${left(n)}`).join(', ')}` : detail,
    };
  },
};
