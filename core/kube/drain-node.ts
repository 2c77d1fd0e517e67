// Draining a node as `kubectl drain` does, through the Kubernetes API: cordon it, then evict its
// pods with the eviction API (so PodDisruptionBudgets are obeyed: a refused eviction is retried),
// until none is left. DaemonSet and static (mirror) pods stay, as they do with kubectl.
import type { V1Pod } from '@kubernetes/client-node';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiStatus, type KubeClients } from './kube-client.ts';
import { mergePatch } from './patch-options.ts';

const DRAIN_TIMEOUT_MS = 120_000;

/** Pods a drain leaves alone: DaemonSet pods and static (mirror) pods. */
export const staysOnNode = (pod: V1Pod): boolean =>
  (pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet') ?? false) ||
  pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;

export const setUnschedulable = (clients: KubeClients, node: string, unschedulable: boolean) =>
  clients.core.patchNode({ name: node, body: { spec: { unschedulable } } }, mergePatch);

const podsOn = async (clients: KubeClients, node: string) =>
  (await clients.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items.filter(
    (p) => !staysOnNode(p),
  );

/** Cordons a node and evicts its pods (PodDisruptionBudgets are obeyed), waiting until they are gone. */
export const drainNode = async (
  clients: KubeClients,
  node: string,
  log: (line: string) => void,
  timeoutMs = DRAIN_TIMEOUT_MS,
): Promise<void> => {
  await setUnschedulable(clients, node, true);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = await podsOn(clients, node);
    if (pods.length === 0) return;
    if (Date.now() > deadline)
      throw new KartStreamError('timeout', `failed to drain ${node}: ${pods.length} pods are still there`, {
        details: pods.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
        fix: 'a PodDisruptionBudget that allows no disruption blocks a drain: check `kubectl get pdb -A`',
      });
    for (const pod of pods.filter((p) => !p.metadata?.deletionTimestamp)) {
      const name = pod.metadata?.name ?? '';
      const namespace = pod.metadata?.namespace ?? '';
      await clients.core
        .createNamespacedPodEviction({
          name,
          namespace,
          body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
        })
        .then(() => log(`evicted ${namespace}/${name} from ${node}`))
        .catch((error: unknown) => {
          // 429: a PodDisruptionBudget says not now; 404: already gone. Both are retried or done.
          if (apiStatus(error) !== 429 && apiStatus(error) !== 404) throw error;
        });
    }
    await sleep(1000);
  }
};
