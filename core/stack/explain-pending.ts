// Why a pod is Pending, in terms of the pools: the scheduler's event says "N node(s) had
// untolerated taint(s)" without naming them; this names the taint and the pool a learner must fix.
import type { V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';

const tolerates = (toleration: V1Toleration, taint: V1Taint): boolean => {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
};

const showTaint = (t: V1Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

const matchesSelector = (pod: V1Pod, node: V1Node): boolean =>
  Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => node.metadata?.labels?.[k] === v);

// One sentence per group of nodes that rejects the pod, e.g.
// "2 node(s) of pool backend have the taint pool=backend:NoSchedule, which the pod does not tolerate".
export const explainPending = (pod: V1Pod, nodes: readonly V1Node[]): string[] => {
  const counts = new Map<string, number>();
  const add = (reason: string) => counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const selector = Object.entries(pod.spec?.nodeSelector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  for (const node of nodes) {
    const pool = node.metadata?.labels?.pool ?? 'none';
    if (!matchesSelector(pod, node)) {
      add(`node(s) of pool ${pool} do not match the nodeSelector ${selector}`);
      continue;
    }
    const untolerated = (node.spec?.taints ?? []).filter(
      (t) =>
        (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
        !(pod.spec?.tolerations ?? []).some((tol) => tolerates(tol, t)),
    );
    if (untolerated.length > 0)
      add(
        `node(s) of pool ${pool} have the taint ${untolerated.map(showTaint).join(', ')}, which the pod does not tolerate`,
      );
    else if (node.spec?.unschedulable) add(`node(s) of pool ${pool} are cordoned`);
  }
  if (nodes.length === 0) return ['the cluster has no nodes'];
  if (selector && ![...nodes].some((n) => matchesSelector(pod, n)))
    return [`no node matches the nodeSelector ${selector} (is its pool scaled to zero?)`];
  return [...counts.entries()].map(([reason, n]) => `${n} ${reason}`);
};
