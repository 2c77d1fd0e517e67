// Reads a lab's service graph: the shop's Deployments and where they run from the Kubernetes
// API, the edges' rates from the lab's Prometheus (reached through the monitoring access every
// backend uses). A Prometheus that does not answer is an error that says so (prometheus-api.ts),
// never an empty, healthy-looking graph.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ServiceGraph } from '../contract/graph-types.ts';
import { describeError, KartStreamError } from '../errors/kartstream-error.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { PrometheusApi } from './prometheus-api.ts';
import { POOL_KEY } from '../topology/schema.ts';
import { buildServiceGraph, graphQueries, type ShopWorkloadState } from './service-graph.ts';

/** Each Deployment's pool: its nodeSelector, else the pool of the nodes its pods run on. */
export const shopWorkloads = (
  deployments: V1Deployment[],
  pods: V1Pod[],
  nodes: V1Node[],
): ShopWorkloadState[] => {
  const poolOfNode = new Map(
    nodes.map((n) => [n.metadata?.name ?? '', n.metadata?.labels?.[POOL_KEY] ?? '']),
  );
  return deployments.map((d) => {
    const name = d.metadata?.name ?? '';
    const selector = d.spec?.selector?.matchLabels ?? {};
    const running = pods
      .filter((p) => Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v))
      .map((p) => poolOfNode.get(p.spec?.nodeName ?? '') ?? '')
      .find(Boolean);
    return {
      name,
      pool: d.spec?.template?.spec?.nodeSelector?.[POOL_KEY] ?? running ?? '',
      desired: d.spec?.replicas ?? 1,
      available: d.status?.availableReplicas ?? 0,
    };
  });
};

export interface GraphSource {
  lab: string;
  /** The shop's namespace. */
  namespace: string;
  kubeconfigPath: string;
  /** The lab's Prometheus (monitoring-access.ts). */
  prometheus: string;
}

export const readServiceGraph = async (source: GraphSource): Promise<ServiceGraph> => {
  const { lab, namespace } = source;
  const { core, apps } = kubeClients(source.kubeconfigPath);
  let workloads: ShopWorkloadState[];
  try {
    const [deployments, pods, nodes] = await Promise.all([
      apps.listNamespacedDeployment({ namespace }),
      core.listNamespacedPod({ namespace }),
      core.listNode(),
    ]);
    workloads = shopWorkloads(deployments.items, pods.items, nodes.items);
  } catch (cause) {
    throw new KartStreamError('cluster-failed', `cannot read the workloads of lab ${lab}`, {
      cause,
      details: [describeError(cause)],
      fix: 'is the lab running? `npx kartstream status` shows it',
    });
  }
  const prometheus = new PrometheusApi(source.prometheus);
  const queries = graphQueries();
  const at = new Date().toISOString();
  const [rps, errors, p95Ms, redisFailures] = await Promise.all([
    prometheus.query(queries.rps),
    prometheus.query(queries.errors),
    prometheus.query(queries.p95Ms),
    prometheus.query(queries.redisFailures),
  ]);
  const graph = buildServiceGraph(workloads, {
    rps: rps.result,
    errors: errors.result,
    p95Ms: p95Ms.result,
    redisFailures: redisFailures.result,
  });
  return { lab, namespace, at, ...graph };
};
