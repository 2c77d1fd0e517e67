// The sim lab's stand-in for the kubelet's pod status sync. While the node controller counts a
// node as down (its heartbeat stopped: a healed fault, KWOK stalled under load, a laptop asleep),
// it marks the pods bound there not Ready. A real kubelet puts its pods' Ready back on its next
// sync once the node is back; KWOK's stages never do, so without this every Deployment of the lab
// stays unavailable for good after a 30 s stall of the node heartbeats.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../../kube/kube-client.ts';
import { isNodeReady } from '../../kube/readiness.ts';
import { strategicMergePatch } from '../../kube/patch-options.ts';
import type { WatchStore } from '../../kube/watch-store.ts';
import { LAB_TIMERS } from './kwokctl-config.ts';
import { ignoreNotFound } from './patching.ts';
import { FAULT_LABEL } from './pod-faults.ts';

const NODE_DOWN_TAINTS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
export const MONITOR_PERIOD_MS = Number.parseInt(LAB_TIMERS.nodeMonitorPeriod, 10) * 1000;

/** Ready, and the node controller has taken its not-ready/unreachable taints off. */
export const isBackInService = (node: V1Node): boolean =>
  isNodeReady(node) && !(node.spec?.taints ?? []).some((t) => NODE_DOWN_TAINTS.has(t.key));

/** Running and not Ready only because the node controller marked it so (its containers are ready). */
export const markedNotReadyByNodeController = (pod: V1Pod): boolean => {
  const conditions = pod.status?.conditions ?? [];
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata?.deletionTimestamp &&
    !pod.metadata?.labels?.[FAULT_LABEL] &&
    conditions.some((c) => c.type === 'Ready' && c.status !== 'True') &&
    conditions.some((c) => c.type === 'ContainersReady' && c.status === 'True')
  );
};

/** Sets the pods Ready again, as their kubelet's status sync would; a pod gone meanwhile is skipped. */
export const markPodsReady = async (clients: KubeClients, pods: readonly V1Pod[]): Promise<void> => {
  const now = new Date().toISOString();
  await Promise.all(
    pods.map((p) =>
      clients.core
        .patchNamespacedPodStatus(
          {
            name: p.metadata?.name ?? '',
            namespace: p.metadata?.namespace ?? '',
            body: { status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } },
          },
          strategicMergePatch,
        )
        .catch(ignoreNotFound),
    ),
  );
};

/**
 * Keeps the pods of every node that is back in service Ready, until the returned stop is called.
 * A node counts once it has been back a full monitor period: marks the node controller made
 * while it still saw the node down may land until then, and setting Ready under them would only
 * be undone. Looks every monitor period; `log` gets a line per repair.
 */
export const followPodReadiness = (
  store: WatchStore,
  clients: KubeClients,
  log: (line: string) => void,
): (() => void) => {
  /** node name → when it was first seen back in service. */
  const backSince = new Map<string, number>();
  /** pods with a patch on its way (uid), not patched twice. */
  const pending = new Set<string>();
  const sync = () => {
    const now = Date.now();
    const settled = new Set<string>();
    for (const node of store.nodes()) {
      const name = node.metadata?.name ?? '';
      if (!isBackInService(node)) backSince.delete(name);
      else if (!backSince.has(name)) backSince.set(name, now);
      else if (now - backSince.get(name)! >= MONITOR_PERIOD_MS) settled.add(name);
    }
    const stale = store
      .pods()
      .filter(
        (p) =>
          settled.has(p.spec?.nodeName ?? '') &&
          markedNotReadyByNodeController(p) &&
          !pending.has(p.metadata?.uid ?? ''),
      );
    if (stale.length === 0) return;
    for (const p of stale) pending.add(p.metadata?.uid ?? '');
    markPodsReady(clients, stale)
      .then(() =>
        log(
          `Ready again, their node back in service: ${stale.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).join(', ')}`,
        ),
      )
      .catch((error: unknown) => log(`could not set pods Ready again: ${(error as Error).message}`))
      .finally(() => {
        for (const p of stale) pending.delete(p.metadata?.uid ?? '');
      });
  };
  // On a tick, not on every change: a look at every pod per change would cost the agent dearly
  // in a big lab, and a second either way does not matter here.
  const timer = setInterval(sync, MONITOR_PERIOD_MS);
  sync();
  return () => clearInterval(timer);
};
