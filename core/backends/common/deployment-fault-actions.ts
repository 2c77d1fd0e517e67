// breakPods / healPods for backends with real kubelets (kind, external), through the API only: the pods a selector matches lead to their
// owner Deployments (pod → ReplicaSet → Deployment), and those are patched (see pod-faults.ts).
import type { V1Pod } from '@kubernetes/client-node';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import type { KubeClients } from '../../kube/kube-client.ts';
import type { PodFault } from '../cluster-backend.ts';
import { currentFault, faultPatch, healPatch } from './deployment-faults.ts';
import { jsonPatch } from '../../kube/patch-options.ts';

// The owner Deployment of each pod (by name), and the pods no Deployment owns.
const ownerDeployments = async (clients: KubeClients, namespace: string, pods: readonly V1Pod[]) => {
  const replicaSets = new Map<string, string | undefined>();
  const byDeployment = new Map<string, number>();
  const orphans: string[] = [];
  for (const pod of pods) {
    const rs = pod.metadata?.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;
    if (rs && !replicaSets.has(rs)) {
      const owner = await clients.apps
        .readNamespacedReplicaSet({ name: rs, namespace })
        .then((r) => r.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment')?.name)
        .catch(() => undefined);
      replicaSets.set(rs, owner);
    }
    const deployment = rs ? replicaSets.get(rs) : undefined;
    if (deployment) byDeployment.set(deployment, (byDeployment.get(deployment) ?? 0) + 1);
    else orphans.push(pod.metadata?.name ?? '?');
  }
  return { byDeployment, orphans };
};

const listPods = async (clients: KubeClients, namespace: string, selector: string) =>
  (await clients.core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
    (p) => !p.metadata?.deletionTimestamp,
  );

/** Gives the pods matching `selector` the fault; returns how many pods it will replace. */
export const breakDeploymentPods = async (
  clients: KubeClients,
  namespace: string,
  selector: string,
  fault: PodFault,
): Promise<number> => {
  const pods = await listPods(clients, namespace, selector);
  const { byDeployment, orphans } = await ownerDeployments(clients, namespace, pods);
  if (orphans.length > 0 && byDeployment.size === 0)
    throw new KartStreamError(
      'backend-unavailable',
      `pods are broken through their Deployment here, and no Deployment owns ${orphans.join(', ')}`,
    );
  let count = 0;
  for (const [name, pods] of byDeployment) {
    let deployment = await clients.apps.readNamespacedDeployment({ name, namespace });
    if (currentFault(deployment) === fault) {
      count += pods;
      continue;
    }
    if (currentFault(deployment)) {
      await clients.apps.patchNamespacedDeployment(
        { name, namespace, body: healPatch(deployment) },
        jsonPatch,
      );
      deployment = await clients.apps.readNamespacedDeployment({ name, namespace });
    }
    await clients.apps.patchNamespacedDeployment(
      { name, namespace, body: faultPatch(deployment, fault) },
      jsonPatch,
    );
    count += pods;
  }
  return count;
};

/** Puts back every faulted Deployment that owns pods matching `selector`; returns their pod count. */
export const healDeploymentPods = async (
  clients: KubeClients,
  namespace: string,
  selector: string,
): Promise<number> => {
  const pods = await listPods(clients, namespace, selector);
  const { byDeployment } = await ownerDeployments(clients, namespace, pods);
  let count = 0;
  for (const [name, pods] of byDeployment) {
    const deployment = await clients.apps.readNamespacedDeployment({ name, namespace });
    const ops = healPatch(deployment);
    if (ops.length === 0) continue;
    await clients.apps.patchNamespacedDeployment({ name, namespace, body: ops }, jsonPatch);
    count += pods;
  }
  return count;
};
