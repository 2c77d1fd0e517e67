// The kube-state-metrics v2 series that the rules and dashboards use, computed from the watch
// store, with KSM's names, label names and semantics (one series per phase/condition value, 1 for
// the current one and 0 for the others). In sim there is no kube-state-metrics image to run.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterView } from '../kube/cluster-view.ts';

export interface Series {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  /** Every label name the family can carry (prom-client declares them up front). */
  labelNames: string[];
  series: Series[];
}

/** Labels exported as `label_<name>` (KSM's --metric-labels-allowlist, same list in-cluster). */
export const LABEL_ALLOWLIST = {
  pods: ['kartstream.dev/pool', 'app'],
  deployments: ['kartstream.dev/pool'],
  nodes: ['pool'],
} as const;

// KSM sanitises label keys: every character outside [a-zA-Z0-9_] becomes "_".
export const promLabelName = (key: string): string => `label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;

const allowlisted = (labels: Record<string, string> | undefined, keys: readonly string[]) =>
  Object.fromEntries(
    keys.filter((k) => labels?.[k] !== undefined).map((k) => [promLabelName(k), labels?.[k] ?? '']),
  );

const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const CONDITION_VALUES = ['true', 'false', 'unknown'];

const conditionValue = (status: string | undefined) =>
  status === 'True' ? 'true' : status === 'False' ? 'false' : 'unknown';

const POD_LABELS = ['namespace', 'pod', 'uid'];
const DEPLOYMENT_LABELS = ['namespace', 'deployment'];

const podBase = (p: V1Pod) => ({
  namespace: p.metadata?.namespace ?? '',
  pod: p.metadata?.name ?? '',
  uid: p.metadata?.uid ?? '',
});
const deploymentBase = (d: V1Deployment) => ({
  namespace: d.metadata?.namespace ?? '',
  deployment: d.metadata?.name ?? '',
});
const nodeBase = (n: V1Node) => ({ node: n.metadata?.name ?? '' });

const deploymentFamilies = (deployments: readonly V1Deployment[]): MetricFamily[] => [
  {
    name: 'kube_deployment_spec_replicas',
    labelNames: DEPLOYMENT_LABELS,
    help: 'Number of desired pods for a deployment.',
    series: deployments.map((d) => ({ labels: deploymentBase(d), value: d.spec?.replicas ?? 1 })),
  },
  {
    name: 'kube_deployment_status_replicas',
    labelNames: DEPLOYMENT_LABELS,
    help: 'The number of replicas per deployment.',
    series: deployments.map((d) => ({ labels: deploymentBase(d), value: d.status?.replicas ?? 0 })),
  },
  {
    name: 'kube_deployment_status_replicas_available',
    labelNames: DEPLOYMENT_LABELS,
    help: 'The number of available replicas per deployment.',
    series: deployments.map((d) => ({ labels: deploymentBase(d), value: d.status?.availableReplicas ?? 0 })),
  },
  {
    name: 'kube_deployment_status_replicas_unavailable',
    labelNames: DEPLOYMENT_LABELS,
    help: 'The number of unavailable replicas per deployment.',
    series: deployments.map((d) => ({
      labels: deploymentBase(d),
      value: d.status?.unavailableReplicas ?? 0,
    })),
  },
  {
    name: 'kube_deployment_status_replicas_updated',
    labelNames: DEPLOYMENT_LABELS,
    help: 'The number of updated replicas per deployment.',
    series: deployments.map((d) => ({ labels: deploymentBase(d), value: d.status?.updatedReplicas ?? 0 })),
  },
  {
    name: 'kube_deployment_labels',
    labelNames: [...DEPLOYMENT_LABELS, ...LABEL_ALLOWLIST.deployments.map(promLabelName)],
    help: 'Kubernetes labels converted to Prometheus labels.',
    series: deployments.map((d) => ({
      labels: { ...deploymentBase(d), ...allowlisted(d.metadata?.labels, LABEL_ALLOWLIST.deployments) },
      value: 1,
    })),
  },
];

const podFamilies = (pods: readonly V1Pod[]): MetricFamily[] => [
  {
    name: 'kube_pod_info',
    labelNames: [
      ...POD_LABELS,
      'node',
      'host_ip',
      'pod_ip',
      'created_by_kind',
      'created_by_name',
      'priority_class',
      'host_network',
    ],
    help: 'Information about pod.',
    series: pods.map((p) => {
      const owner = p.metadata?.ownerReferences?.[0];
      return {
        labels: {
          ...podBase(p),
          node: p.spec?.nodeName ?? '',
          host_ip: p.status?.hostIP ?? '',
          pod_ip: p.status?.podIP ?? '',
          created_by_kind: owner?.kind ?? '',
          created_by_name: owner?.name ?? '',
          priority_class: p.spec?.priorityClassName ?? '',
          host_network: String(p.spec?.hostNetwork ?? false),
        },
        value: 1,
      };
    }),
  },
  {
    name: 'kube_pod_labels',
    labelNames: [...POD_LABELS, ...LABEL_ALLOWLIST.pods.map(promLabelName)],
    help: 'Kubernetes labels converted to Prometheus labels.',
    series: pods.map((p) => ({
      labels: { ...podBase(p), ...allowlisted(p.metadata?.labels, LABEL_ALLOWLIST.pods) },
      value: 1,
    })),
  },
  {
    name: 'kube_pod_status_phase',
    labelNames: [...POD_LABELS, 'phase'],
    help: 'The pods current phase.',
    series: pods.flatMap((p) =>
      POD_PHASES.map((phase) => ({
        labels: { ...podBase(p), phase },
        value: p.status?.phase === phase ? 1 : 0,
      })),
    ),
  },
  {
    name: 'kube_pod_status_ready',
    labelNames: [...POD_LABELS, 'condition'],
    help: 'Describes whether the pod is ready to serve requests.',
    series: pods.flatMap((p) => {
      const ready = conditionValue(p.status?.conditions?.find((c) => c.type === 'Ready')?.status);
      return CONDITION_VALUES.map((condition) => ({
        labels: { ...podBase(p), condition },
        value: condition === ready ? 1 : 0,
      }));
    }),
  },
  {
    name: 'kube_pod_status_scheduled',
    labelNames: [...POD_LABELS, 'condition'],
    help: 'Describes the status of the scheduling process for the pod.',
    series: pods.flatMap((p) => {
      const scheduled = conditionValue(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status);
      return CONDITION_VALUES.map((condition) => ({
        labels: { ...podBase(p), condition },
        value: condition === scheduled ? 1 : 0,
      }));
    }),
  },
  {
    name: 'kube_pod_container_status_waiting_reason',
    labelNames: [...POD_LABELS, 'container', 'reason'],
    help: 'Describes the reason the container is currently in waiting state.',
    series: pods.flatMap((p) =>
      (p.status?.containerStatuses ?? [])
        .filter((c) => c.state?.waiting?.reason)
        .map((c) => ({
          labels: { ...podBase(p), container: c.name, reason: c.state?.waiting?.reason ?? '' },
          value: 1,
        })),
    ),
  },
  {
    name: 'kube_pod_container_status_restarts_total',
    labelNames: [...POD_LABELS, 'container'],
    help: 'The number of container restarts per container.',
    series: pods.flatMap((p) =>
      (p.status?.containerStatuses ?? []).map((c) => ({
        labels: { ...podBase(p), container: c.name },
        value: c.restartCount ?? 0,
      })),
    ),
  },
];

const nodeFamilies = (nodes: readonly V1Node[]): MetricFamily[] => [
  {
    name: 'kube_node_info',
    labelNames: ['node', 'kubelet_version', 'os_image', 'provider_id', 'internal_ip'],
    help: 'Information about a cluster node.',
    series: nodes.map((n) => ({
      labels: {
        ...nodeBase(n),
        kubelet_version: n.status?.nodeInfo?.kubeletVersion ?? '',
        os_image: n.status?.nodeInfo?.osImage ?? '',
        provider_id: n.spec?.providerID ?? '',
        internal_ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
      },
      value: 1,
    })),
  },
  {
    name: 'kube_node_labels',
    labelNames: ['node', ...LABEL_ALLOWLIST.nodes.map(promLabelName)],
    help: 'Kubernetes labels converted to Prometheus labels.',
    series: nodes.map((n) => ({
      labels: { ...nodeBase(n), ...allowlisted(n.metadata?.labels, LABEL_ALLOWLIST.nodes) },
      value: 1,
    })),
  },
  {
    name: 'kube_node_status_condition',
    labelNames: ['node', 'condition', 'status'],
    help: 'The condition of a cluster node.',
    series: nodes.flatMap((n) =>
      (n.status?.conditions ?? []).flatMap((c) => {
        const current = conditionValue(c.status);
        return CONDITION_VALUES.map((status) => ({
          labels: { ...nodeBase(n), condition: c.type, status },
          value: status === current ? 1 : 0,
        }));
      }),
    ),
  },
  {
    name: 'kube_node_spec_unschedulable',
    labelNames: ['node'],
    help: 'Whether a node can schedule new pods.',
    series: nodes.map((n) => ({ labels: nodeBase(n), value: n.spec?.unschedulable ? 1 : 0 })),
  },
];

// Every family, computed from the current view of the cluster.
export const ksmFamilies = (view: ClusterView): MetricFamily[] => [
  ...deploymentFamilies(view.deployments()),
  ...podFamilies(view.pods()),
  ...nodeFamilies(view.nodes()),
];
