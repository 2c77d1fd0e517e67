// Readiness waits that read the watch store: nodes Ready, Deployments available. When a wait
// times out, its message says what is still missing and why (e.g. the scheduler's reason).
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { WaitOptions, WatchStore } from './watch-store.ts';

export const isNodeReady = (node: V1Node): boolean =>
  node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export const isPodReady = (pod: V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

// Available: every wanted replica is updated and available, and the controller saw the change.
export const isDeploymentAvailable = (d: V1Deployment): boolean => {
  const wanted = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) >= wanted &&
    (status.availableReplicas ?? 0) >= wanted
  );
};

// Settled: available as above, and nothing more: no surplus pod of a scale-down or an old
// ReplicaSet is still counted. What `kubectl rollout status` waits for, plus the scale-down.
export const isDeploymentSettled = (d: V1Deployment): boolean => {
  const wanted = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (status.replicas ?? 0) === wanted &&
    (status.updatedReplicas ?? 0) === wanted &&
    (status.availableReplicas ?? 0) === wanted
  );
};

// Why a pod is not running, in the scheduler's or kubelet's words.
export const podWaitingReason = (pod: V1Pod): string | undefined => {
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return unscheduled.message ?? unscheduled.reason;
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  return waiting?.reason;
};

export const waitNodesReady = (
  store: WatchStore,
  names: readonly string[],
  options: WaitOptions,
): Promise<void> =>
  store.waitFor(
    `${names.length} nodes to be Ready`,
    () => {
      const ready = new Set(
        store
          .nodes()
          .filter(isNodeReady)
          .map((n) => n.metadata?.name),
      );
      const missing = names.filter((n) => !ready.has(n));
      return missing.length === 0 ? true : `nodes not Ready: ${missing.join(', ')}`;
    },
    options,
  );

export const waitDeploymentsAvailable = (
  store: WatchStore,
  namespace: string,
  names: readonly string[],
  options: WaitOptions,
): Promise<void> => waitDeployments(store, namespace, names, 'available', isDeploymentAvailable, options);

/** Waits until each Deployment runs exactly its replicas, all updated and available (see isDeploymentSettled). */
export const waitDeploymentsSettled = (
  store: WatchStore,
  namespace: string,
  names: readonly string[],
  options: WaitOptions,
): Promise<void> =>
  waitDeployments(
    store,
    namespace,
    names,
    'rolled out to exactly their replicas',
    isDeploymentSettled,
    options,
  );

const waitDeployments = (
  store: WatchStore,
  namespace: string,
  names: readonly string[],
  state: string,
  holds: (d: V1Deployment) => boolean,
  options: WaitOptions,
): Promise<void> =>
  store.waitFor(
    `${names.length} Deployments in ${namespace} to be ${state}`,
    () => {
      const byName = new Map(store.deployments(namespace).map((d) => [d.metadata?.name, d]));
      const missing = names.filter((n) => {
        const d = byName.get(n);
        return !d || !holds(d);
      });
      if (missing.length === 0) return true;
      return missing
        .map((name) => {
          const pod = store.pods(namespace).find((p) => p.metadata?.labels?.app === name && !isPodReady(p));
          const reason = pod ? podWaitingReason(pod) : undefined;
          if (reason) return `${name} (${reason})`;
          const d = byName.get(name);
          if (!d) return `${name} (not found)`;
          return `${name} (${d.status?.availableReplicas ?? 0} available of ${d.status?.replicas ?? 0} pods, ${d.spec?.replicas ?? 1} wanted)`;
        })
        .join('; ');
    },
    options,
  );
