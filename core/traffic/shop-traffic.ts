// Runs the traffic model on a live lab: every few seconds it rebuilds the model's view from the
// watch store (pods, Deployments) and its own informers (NetworkPolicies, Namespaces), plays the
// seconds since the last step, feeds Istio's metrics to the registry Prometheus scrapes, hands
// each pod's CPU to KWOK (pod-usage.ts: what `kubectl top` and an HPA see), and keeps the customer
// impact so far (what the debrief reports).
import {
  CoreV1Api,
  makeInformer,
  NetworkingV1Api,
  type Informer,
  type KubeConfig,
  type ObjectCache,
  type V1Namespace,
  type V1NetworkPolicy,
} from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import type { ClusterView } from '../kube/cluster-view.ts';
import { istioMetrics } from './istio-metrics.ts';
import { usageUpdates, writeUsage } from './pod-usage.ts';
import { buildShopView } from './shop-view.ts';
import type { PageName } from './shop-calls.ts';
import { createTrafficModel, type HopListener, type StepResult } from './traffic-model.ts';

/** What shoppers felt since the traffic started. */
export interface CustomerImpact {
  since: string;
  pageRequests: number;
  pageFailures: number;
  checkoutsOk: number;
  checkoutsFailed: number;
}

export interface ShopTrafficOptions {
  namespace: string;
  /** Seconds between steps; Prometheus in sim scrapes every 5 s. */
  stepSeconds?: number;
  seed?: number;
  /** Told about each step, for logs and tests. */
  onStep?: (result: StepResult) => void;
  /** Sees every call the model makes, besides the Istio metrics (the failure logs). */
  onHop?: HopListener;
  /** Told about a failure to write the pods' CPU (the traffic keeps running). */
  onError?: (error: unknown) => void;
}

type Watched<T> = Informer<T & object> & ObjectCache<T & object>;

/** An informer that lists and watches again after any error, until stopped. */
const keepWatching = <T extends object>(informer: Watched<T>, isStopped: () => boolean) => {
  informer.on('error', () => {
    if (!isStopped()) setTimeout(() => void informer.start().catch(() => undefined), 1000);
  });
  return informer;
};

export const startShopTraffic = async (
  cluster: ClusterView,
  config: KubeConfig,
  registry: Registry,
  options: ShopTrafficOptions,
) => {
  let stopped = false;
  const networking = config.makeApiClient(NetworkingV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const policies = keepWatching<V1NetworkPolicy>(
    makeInformer(config, '/apis/networking.k8s.io/v1/networkpolicies', () =>
      networking.listNetworkPolicyForAllNamespaces(),
    ),
    () => stopped,
  );
  const namespaces = keepWatching<V1Namespace>(
    makeInformer(config, '/api/v1/namespaces', () => core.listNamespace()),
    () => stopped,
  );
  await Promise.all([policies.start(), namespaces.start()]);

  const model = createTrafficModel(options.seed ?? Date.now() % 2 ** 31);
  const istio = istioMetrics(registry, options.namespace);
  const onHop = options.onHop;
  const observe: HopListener = onHop
    ? (hop) => {
        istio(hop);
        onHop(hop);
      }
    : istio;
  const impact: CustomerImpact = {
    since: new Date().toISOString(),
    pageRequests: 0,
    pageFailures: 0,
    checkoutsOk: 0,
    checkoutsFailed: 0,
  };

  const currentView = () =>
    buildShopView({
      namespace: options.namespace,
      pods: cluster.pods(options.namespace),
      deployments: cluster.deployments(options.namespace),
      policies: policies.list(),
      namespaces: namespaces.list(),
    });

  // The pods' CPU, written when it moved; a write still running makes the next step skip its turn.
  let writing: Promise<void> | undefined;
  const handUsage = (cpuMillicores: Record<string, number>) => {
    if (writing) return;
    const updates = usageUpdates(cluster.pods(options.namespace), cpuMillicores);
    if (updates.length === 0) return;
    writing = writeUsage(core, options.namespace, updates, options.onError ?? (() => undefined)).finally(
      () => (writing = undefined),
    );
  };

  let last = Date.now();
  const step = () => {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    const result = model.step(currentView(), seconds, observe);
    for (const page of Object.values(result.pages)) {
      impact.pageRequests += page.requests;
      impact.pageFailures += page.failures;
    }
    impact.checkoutsOk += result.checkouts.ok;
    impact.checkoutsFailed += result.checkouts.failed;
    handUsage(result.cpuMillicores);
    options.onStep?.(result);
  };
  const timer = setInterval(step, (options.stepSeconds ?? 5) * 1000);

  return {
    impact: (): CustomerImpact => ({ ...impact }),
    /** One page asked for from outside the shop, answered from the cluster as it is now. */
    probe: (page: PageName) => model.probe(currentView(), page),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await writing;
      await Promise.all([policies.stop(), namespaces.stop()]);
    },
  };
};
