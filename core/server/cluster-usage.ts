// CPU and memory per node and pod, read from the Metrics API (metrics.k8s.io) the way
// `kubectl top` reads it, through @kubernetes/client-node: the same code for sim (metrics-server
// fed by kwok's simulated usage), kind and EKS (metrics-server measuring real containers) and
// attached clusters. With no Metrics API the answer says so and why, never zeros.
import { ApiregistrationV1Api, Metrics, type V1Node, type V1Pod } from '@kubernetes/client-node';
import type { ClusterUsage, ResourceAmount } from '../contract/usage-types.ts';
import { describeError } from '../errors/kartstream-error.ts';
import type { KubeClients } from '../kube/kube-client.ts';
import { apiStatus } from '../kube/kube-client.ts';
import { cpuMillis, memoryBytes } from '../kube/quantity.ts';

type Usage = Record<string, string | undefined> | undefined;

const amount = (resources: Usage): ResourceAmount => ({
  cpuMillis: cpuMillis(resources?.cpu) ?? 0,
  memoryBytes: memoryBytes(resources?.memory) ?? 0,
});

const add = (a: ResourceAmount, b: ResourceAmount): ResourceAmount => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});

const ZERO: ResourceAmount = { cpuMillis: 0, memoryBytes: 0 };

const podRequests = (pod: V1Pod): ResourceAmount =>
  (pod.spec?.containers ?? []).reduce((sum, c) => add(sum, amount(c.resources?.requests)), ZERO);

const key = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

const METRICS_API_SERVICE = 'v1beta1.metrics.k8s.io';

const NO_METRICS_API: Extract<ClusterUsage, { available: false }> = {
  available: false,
  reason: 'this cluster has no Metrics API (metrics.k8s.io): metrics-server is not installed',
  fix: 'sim: npx kartstream sim install builds metrics-server (needs Go ≥ 1.26), then recreate the lab; kind or EKS: install metrics-server (docs/metrics.md)',
};

/**
 * Why the Metrics API gave no figures, in words a user can act on. client-node's Metrics reports
 * every answer that is not JSON (the API server's plain "404 page not found" among them) as a
 * 500, so the APIService that registers the API is asked instead: absent, or not Available.
 */
export const unavailableReason = async (
  clients: KubeClients,
  error: unknown,
): Promise<Extract<ClusterUsage, { available: false }>> => {
  const registration = await clients.config
    .makeApiClient(ApiregistrationV1Api)
    .readAPIService({ name: METRICS_API_SERVICE })
    .catch((cause: unknown) => (apiStatus(cause) === 404 ? 'absent' : undefined));
  if (registration === 'absent') return NO_METRICS_API;
  const available = registration?.status?.conditions?.find((c) => c.type === 'Available');
  if (available && available.status !== 'True')
    return {
      available: false,
      reason: `the Metrics API is registered but metrics-server does not answer: ${available.message ?? available.reason ?? 'not available'}`,
      fix: 'a new lab has its first figures within a minute; if it stays, check metrics-server (docs/metrics.md)',
    };
  return {
    available: false,
    reason: `the Metrics API did not answer: ${describeError(error).split('\n')[0]}`,
  };
};

/** What usage is put beside: the lab's nodes and pods (a watch store's). */
export interface UsageObjects {
  nodes(): readonly V1Node[];
  pods(): readonly V1Pod[];
}

/**
 * Usage of every node and pod that has figures, with allocatable and requests beside them;
 * `objects` is asked for only once the Metrics API has answered.
 */
export const readClusterUsage = async (
  clients: KubeClients,
  objects: () => Promise<UsageObjects>,
): Promise<ClusterUsage> => {
  const metrics = new Metrics(clients.config);
  let nodeMetrics: Awaited<ReturnType<Metrics['getNodeMetrics']>>;
  let podMetrics: Awaited<ReturnType<Metrics['getPodMetrics']>>;
  try {
    [nodeMetrics, podMetrics] = await Promise.all([metrics.getNodeMetrics(), metrics.getPodMetrics()]);
  } catch (error) {
    return unavailableReason(clients, error);
  }
  const source = await objects();
  const allocatable = new Map(
    source.nodes().map((n) => [n.metadata?.name ?? '', amount(n.status?.allocatable)]),
  );
  const requests = new Map(
    source.pods().map((p) => [key(p.metadata?.namespace, p.metadata?.name), podRequests(p)]),
  );
  const stamps = [...nodeMetrics.items, ...podMetrics.items]
    .map((m) => m.timestamp)
    .filter(Boolean)
    .sort();
  return {
    available: true,
    at: stamps.at(-1) ?? new Date().toISOString(),
    nodes: nodeMetrics.items
      .map((m) => ({
        name: m.metadata.name,
        usage: amount(m.usage as unknown as Usage),
        allocatable: allocatable.get(m.metadata.name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    pods: podMetrics.items
      .map((m) => {
        const k = key(m.metadata.namespace, m.metadata.name);
        const usage = m.containers.reduce((sum, c) => add(sum, amount(c.usage as unknown as Usage)), ZERO);
        return { key: k, usage, requests: requests.get(k) ?? ZERO };
      })
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
};
