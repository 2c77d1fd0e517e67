// The traffic model's view of the cluster, built from the objects the watch store holds: the
// shop's pods (ready or not, their CPU limit, a bad rollout's error rate), the NetworkPolicies,
// the namespaces' labels, and the users the loadgenerator runs.
import type { V1Deployment, V1Namespace, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { cpuMillis } from '../kube/quantity.ts';
import { SHOP_WORKLOADS, type ShopWorkload } from './shop-calls.ts';
import type { ShopPod, ShopView } from './traffic-model.ts';

/**
 * A pod-template annotation that makes a workload's pods fail this share of their requests: how a
 * scenario stages a bad rollout. It lives on the template, so the rollout is a real one (a new
 * ReplicaSet) and `kubectl rollout undo` takes it back.
 */
export const ERROR_RATE_ANNOTATION = 'kartstream.dev/error-rate';

/** The loadgenerator's default user count (its manifest's USERS). */
export const DEFAULT_USERS = 10;

const isShopWorkload = (app: string | undefined): app is ShopWorkload =>
  SHOP_WORKLOADS.includes(app as ShopWorkload);

const isReady = (pod: V1Pod): boolean =>
  !pod.metadata?.deletionTimestamp &&
  pod.status?.phase === 'Running' &&
  (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const errorRateOf = (pod: V1Pod): number | undefined => {
  const value = Number(pod.metadata?.annotations?.[ERROR_RATE_ANNOTATION]);
  return Number.isFinite(value) && value > 0 ? Math.min(1, value) : undefined;
};

const cpuLimitOf = (pod: V1Pod): number | undefined => {
  const limit = pod.spec?.containers?.[0]?.resources?.limits?.cpu;
  return limit === undefined ? undefined : cpuMillis(String(limit));
};

/** USERS from the loadgenerator Deployment's container env (the manifest's value when unset or bad). */
export const usersPerLoadgenerator = (deployment: V1Deployment | undefined): number => {
  const env = deployment?.spec?.template.spec?.containers?.[0]?.env?.find((e) => e.name === 'USERS');
  const users = Number(env?.value);
  return Number.isInteger(users) && users >= 0 ? users : DEFAULT_USERS;
};

export interface ShopObjects {
  namespace: string;
  pods: readonly V1Pod[];
  deployments: readonly V1Deployment[];
  policies: readonly V1NetworkPolicy[];
  namespaces: readonly V1Namespace[];
}

export const buildShopView = (objects: ShopObjects): ShopView => {
  const pods: Partial<Record<ShopWorkload, ShopPod[]>> = {};
  for (const pod of objects.pods) {
    const app = pod.metadata?.labels?.app;
    if (pod.metadata?.namespace !== objects.namespace || !isShopWorkload(app)) continue;
    const cpuLimitMillicores = cpuLimitOf(pod);
    const errorRate = errorRateOf(pod);
    (pods[app] ??= []).push({
      name: pod.metadata.name ?? '',
      namespace: objects.namespace,
      labels: pod.metadata.labels ?? {},
      ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}),
      ready: isReady(pod),
      ...(cpuLimitMillicores === undefined ? {} : { cpuLimitMillicores }),
      ...(errorRate === undefined ? {} : { errorRate }),
    });
  }
  const loadgenerator = objects.deployments.find(
    (d) => d.metadata?.namespace === objects.namespace && d.metadata?.name === 'loadgenerator',
  );
  const runningUsers = (pods.loadgenerator ?? []).filter((p) => p.ready).length;
  return {
    pods,
    policies: {
      policies: objects.policies,
      namespaceLabels: Object.fromEntries(
        objects.namespaces.map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]),
      ),
    },
    users: runningUsers * usersPerLoadgenerator(loadgenerator),
  };
};
