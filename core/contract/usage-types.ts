// What `cluster.usage` answers (kept apart from wire-types.ts, which is long enough): CPU and
// memory per node and pod from the Metrics API.

/** CPU in millicores and memory in bytes. */
export interface ResourceAmount {
  cpuMillis: number;
  memoryBytes: number;
}

export interface NodeUsageView {
  name: string;
  /** What the node's pods use now (metrics-server's last window). */
  usage: ResourceAmount;
  allocatable?: ResourceAmount;
}

export interface PodUsageView {
  /** `namespace/name`. */
  key: string;
  usage: ResourceAmount;
  /** The sum of its containers' requests; a resource nobody requested is 0. */
  requests: ResourceAmount;
}

/**
 * What `cluster.usage` answers: CPU and memory per node and pod from the Metrics API
 * (metrics.k8s.io, served by metrics-server), or why there is none.
 */
export type ClusterUsage =
  | { available: true; at: string; nodes: NodeUsageView[]; pods: PodUsageView[] }
  | { available: false; reason: string; fix?: string };
