// The wire views of cluster objects the map shows: pure functions from API objects to the
// shapes in core/contract/wire-types.ts.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { NodeView, PodView, PoolView, WorkloadView } from '../contract/wire-types.ts';
import { nodeFault } from '../backends/node-fault.ts';
import { isDeploymentAvailable, isNodeReady, isPodReady, podWaitingReason } from '../kube/readiness.ts';
import type { Topology } from '../topology/schema.ts';

export const showTaint = (t: { key: string; value?: string; effect: string }): string =>
  `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

const iso = (date: Date | string | undefined): string => (date ? new Date(date).toISOString() : '');

export const poolViews = (topology: Topology): PoolView[] =>
  topology.pools.map((p) => ({ name: p.name, taint: showTaint(p.taint), desiredNodes: p.nodes }));

export const nodeView = (node: V1Node): NodeView => {
  const fault = nodeFault(node);
  return {
    name: node.metadata?.name ?? '',
    pool: node.metadata?.labels?.pool ?? '',
    ready: isNodeReady(node),
    schedulable: !node.spec?.unschedulable,
    ...(fault ? { fault } : {}),
    taints: (node.spec?.taints ?? []).map(showTaint),
    createdAt: iso(node.metadata?.creationTimestamp),
  };
};

export const podKey = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

export const podView = (pod: V1Pod, pool: string, unschedulable?: string[]): PodView => {
  const ready = isPodReady(pod);
  const reason = ready ? undefined : podWaitingReason(pod);
  return {
    key: podKey(pod),
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    workload: pod.metadata?.labels?.app ?? '',
    node: pod.spec?.nodeName ?? '',
    pool,
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Unknown'),
    ready,
    restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    ...(reason ? { reason } : {}),
    ...(unschedulable ? { unschedulable } : {}),
    createdAt: iso(pod.metadata?.creationTimestamp),
  };
};

export const workloadView = (d: V1Deployment): WorkloadView => ({
  key: `${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`,
  name: d.metadata?.name ?? '',
  namespace: d.metadata?.namespace ?? '',
  pool: d.spec?.template?.spec?.nodeSelector?.pool ?? '',
  desired: d.spec?.replicas ?? 1,
  available: d.status?.availableReplicas ?? 0,
  ready: isDeploymentAvailable(d),
});
