// The wire types of the service graph (the "blast map"): the shop's workloads by pool and the
// calls between them with their live rates, from the lab's Prometheus (core/traffic/service-graph.ts).

export interface GraphNode {
  /** The Deployment's name (Istio's `destination_workload`). */
  id: string;
  /** The pool its pods are placed on; `unplaced` when neither its nodeSelector nor its pods say. */
  pool: string;
  /** Replicas wanted and available; null for a workload seen only in the metrics. */
  desired: number | null;
  available: number | null;
  /** Share of the requests it served that failed over the window; null when it served none. */
  errorRatio: number | null;
}

export interface GraphEdgeQueries {
  rps: string;
  errorRatio: string;
  p95Ms?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  destination: string;
  protocol: 'http' | 'grpc' | 'tcp';
  /**
   * `istio`: measured by the Istio request metrics. `inferred`: a TCP call Istio does not count
   * as requests; its error share is read from what the caller answers (see `note`).
   */
  metrics: 'istio' | 'inferred';
  /** Requests per second over the window; null where not measured (TCP). */
  rps: number | null;
  errorRatio: number | null;
  p95Ms: number | null;
  /** Error ratio above the graph's objective. */
  failing: boolean;
  /** No requests over the window (drawn dashed). */
  idle: boolean;
  note?: string;
  promql: GraphEdgeQueries;
}

export interface ServiceGraph {
  lab: string;
  namespace: string;
  /** When Prometheus was asked (ISO). */
  at: string;
  /** The rate window, e.g. `1m`. */
  window: string;
  /** An edge whose error ratio is above this is drawn failing. */
  objective: number;
  /** False when Prometheus has no Istio request samples in the window: no traffic data, not zero. */
  metricsPresent: boolean;
  /** Pools in lane order, only those holding a workload of the shop. */
  pools: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}
