// The PromQL series the charts view draws: a few that teach how the shop and its pools behave.
export interface TeachingQuery {
  id: string;
  title: string;
  query: string;
  /** The label that names each series. */
  seriesLabel: string;
  explain: string;
}

export const TEACHING_QUERIES: readonly TeachingQuery[] = [
  {
    id: 'available-replicas',
    title: 'Available replicas per service',
    query: 'sum by (deployment) (kube_deployment_status_replicas_available{namespace="shop"})',
    seriesLabel: 'deployment',
    explain: 'Drops when pods are lost; a service at 0 is down for its callers.',
  },
  {
    id: 'pending-pods',
    title: 'Pending pods per pool',
    query:
      'sum by (pool) ((kube_pod_status_phase{phase="Pending"} == 1) * on (namespace, pod) group_left (pool) kartstream:pod_pool:info{pool!=""})',
    seriesLabel: 'pool',
    explain: 'Pods no node will take: a pool with no room or no ready nodes.',
  },
  {
    id: 'ready-nodes',
    title: 'Ready nodes per pool',
    query:
      'sum by (pool) (kube_node_status_condition{condition="Ready",status="true"} * on (node) group_left (pool) kartstream:node_pool:info{pool!=""})',
    seriesLabel: 'pool',
    explain: 'A failed node leaves its pool; the pool’s pods move or wait.',
  },
];
