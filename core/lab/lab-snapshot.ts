// What `status` shows: nodes by pool, the shop's workloads and pods, read from the watch store.
import type { LabContext } from '../backends/cluster-backend.ts';
import { backendByName } from '../backends/choose-backend.ts';
import { nodeFault } from '../backends/node-fault.ts';
import type { ClusterView } from '../kube/cluster-view.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { WatchStore } from '../kube/watch-store.ts';
import { explainPending } from '../stack/explain-pending.ts';
import { isDeploymentAvailable, isNodeReady, isPodReady, podWaitingReason } from '../kube/readiness.ts';
import type { LabRecord } from './lab-record.ts';
import { monitoringProcesses, readSimMonitoring, type SimMonitoring } from '../monitoring/sim-monitoring.ts';

export interface NodeRow {
  name: string;
  pool: string;
  ready: boolean;
  schedulable: boolean;
  fault?: string;
}

export interface WorkloadRow {
  name: string;
  pool: string;
  desired: number;
  available: number;
  ready: boolean;
}

export interface PodRow {
  name: string;
  workload: string;
  node: string;
  pool: string;
  phase: string;
  ready: boolean;
  reason?: string;
  /** For a pod no node takes: why, pool by pool. */
  unschedulable?: string[];
}

export interface LabSnapshot {
  name: string;
  backend: string;
  state: string;
  kubeconfig: string;
  namespace: string;
  server?: string;
  nodes: NodeRow[];
  workloads: WorkloadRow[];
  pods: PodRow[];
  /** True when every node is Ready and every workload available. */
  ready: boolean;
  /** Where the shop answers in a browser (kind: the frontend NodePort mapped on loopback). */
  shopUrl?: string;
  /** Where the lab's Prometheus and Alertmanager answer (sim labs with monitoring). */
  monitoring?: SimMonitoring & { processes?: { name: string; pid: number; running: boolean }[] };
}

// Builds the snapshot from a view of the cluster.
export const snapshotFrom = (
  view: ClusterView,
  lab: LabContext,
  record: LabRecord,
  server?: string,
): LabSnapshot => {
  const poolOfNode = new Map(
    view.nodes().map((n) => [n.metadata?.name ?? '', n.metadata?.labels?.pool ?? '']),
  );
  const nodes = view
    .nodes()
    .map((n) => {
      const fault = nodeFault(n);
      return {
        name: n.metadata?.name ?? '',
        pool: n.metadata?.labels?.pool ?? '',
        ready: isNodeReady(n),
        schedulable: !n.spec?.unschedulable,
        ...(fault ? { fault } : {}),
      };
    })
    .sort(
      (a, b) => a.pool.localeCompare(b.pool) || a.name.localeCompare(b.name, undefined, { numeric: true }),
    );
  const workloads = view
    .deployments(record.namespace)
    .map((d) => ({
      name: d.metadata?.name ?? '',
      pool: d.spec?.template?.spec?.nodeSelector?.pool ?? '',
      desired: d.spec?.replicas ?? 1,
      available: d.status?.availableReplicas ?? 0,
      ready: isDeploymentAvailable(d),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const pods = view
    .pods(record.namespace)
    .map((p) => {
      const reason = isPodReady(p) ? undefined : podWaitingReason(p);
      const node = p.spec?.nodeName ?? '';
      const unschedulable = node ? undefined : explainPending(p, view.nodes());
      return {
        name: p.metadata?.name ?? '',
        workload: p.metadata?.labels?.app ?? '',
        node,
        pool: poolOfNode.get(node) ?? '',
        phase: p.metadata?.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Unknown'),
        ready: isPodReady(p),
        ...(reason ? { reason } : {}),
        ...(unschedulable ? { unschedulable } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: record.name,
    backend: record.backend,
    state: record.state,
    kubeconfig: lab.kubeconfigPath,
    namespace: record.namespace,
    ...(server ? { server } : {}),
    nodes,
    workloads,
    pods,
    ready:
      nodes.length > 0 &&
      nodes.every((n) => n.ready) &&
      workloads.length > 0 &&
      workloads.every((w) => w.ready),
  };
};

// Reads the lab's cluster once through a watch store and returns the snapshot.
export const labSnapshot = async (lab: LabContext, record: LabRecord): Promise<LabSnapshot> => {
  const clients = kubeClients(lab.kubeconfigPath);
  const store = new WatchStore(clients);
  try {
    await store.start();
    const snapshot = snapshotFrom(store, lab, record, clients.config.getCurrentCluster()?.server);
    const shopUrl = backendByName(record.backend).shopUrl(lab);
    if (shopUrl) snapshot.shopUrl = shopUrl;
    const monitoring = await readSimMonitoring(lab);
    if (monitoring) snapshot.monitoring = { ...monitoring, processes: await monitoringProcesses(lab) };
    return snapshot;
  } finally {
    await store.stop();
  }
};
