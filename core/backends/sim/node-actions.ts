// Failing and healing a sim node: the fault label makes KWOK's node-not-ready stage stop the
// node's heartbeat, as if its kubelet died; removing the label brings it back.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { LabContext } from '../cluster-backend.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { apiStatus, kubeClients, type KubeClients } from '../../kube/kube-client.ts';
import { isNodeReady } from '../../kube/readiness.ts';
import { strategicMergePatch } from '../../kube/patch-options.ts';
import { sleep, waitUntil } from '../../tasks/wait.ts';
import { LAB_TIMERS } from './kwokctl-config.ts';
import { ignoreNotFound, mergePatch } from './patching.ts';
import { FAULT_LABEL } from './pod-faults.ts';

/** Sets (or, with null, removes) the fault label of a node; a missing node is named. */
export const labelSimNode = async (lab: LabContext, node: string, fault: string | null): Promise<void> => {
  const clients = kubeClients(lab.kubeconfigPath);
  try {
    await clients.core.patchNode(
      { name: node, body: { metadata: { labels: { [FAULT_LABEL]: fault } } } },
      mergePatch,
    );
  } catch (error) {
    if (apiStatus(error) === 404) {
      throw new KartStreamError('not-found', `there is no node "${node}" in lab ${lab.name}`, {
        fix: 'see the nodes with `npx kartstream status`',
      });
    }
    throw error;
  }
};

const NODE_DOWN_TAINTS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
const monitorPeriodMs = Number.parseInt(LAB_TIMERS.nodeMonitorPeriod, 10) * 1000;

/** Ready, and the node controller has taken its not-ready/unreachable taints off. */
const isBackInService = (node: V1Node): boolean =>
  isNodeReady(node) && !(node.spec?.taints ?? []).some((t) => NODE_DOWN_TAINTS.has(t.key));

/** Running and not Ready only because the node controller marked it so (its containers are ready). */
const markedNotReadyByNodeController = (pod: V1Pod): boolean => {
  const conditions = pod.status?.conditions ?? [];
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata?.deletionTimestamp &&
    !pod.metadata?.labels?.[FAULT_LABEL] &&
    conditions.some((c) => c.type === 'Ready' && c.status !== 'True') &&
    conditions.some((c) => c.type === 'ContainersReady' && c.status === 'True')
  );
};

/** How long a healed node may take to be back in service before the heal fails. */
const BACK_IN_SERVICE_MS = 60_000;

/**
 * After a heal, plays the part of the kubelet's status sync. While the node controller still
 * counts a node as down, it marks a pod bound there not Ready (also a pod scheduled in the
 * seconds after the node came back, before the controller's next look at it); a real kubelet
 * puts its pods' Ready back on its next sync, KWOK's stages never do. So: wait until the
 * controller has the node back in service (its taints gone), let one monitor period pass for
 * marks already on their way, then make the node's healthy pods Ready again. Returns how many
 * pods it repaired.
 */
export const resyncPodReadiness = async (clients: KubeClients, node: string): Promise<number> => {
  const back = await waitUntil(async () => isBackInService(await clients.core.readNode({ name: node })), {
    timeoutMs: BACK_IN_SERVICE_MS,
    intervalMs: 500,
  });
  if (!back)
    throw new KartStreamError(
      'timeout',
      `node ${node} was healed but is not back in service after ${BACK_IN_SERVICE_MS / 1000} s (not Ready, or still tainted not-ready/unreachable)`,
      {
        fix: `see the node's conditions and taints with \`kubectl describe node ${node}\`, and the lab with \`npx kartstream doctor\``,
      },
    );
  await sleep(monitorPeriodMs);
  const pods = (await clients.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items;
  const stale = pods.filter(markedNotReadyByNodeController);
  const now = new Date().toISOString();
  await Promise.all(
    stale.map((p) =>
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
  return stale.length;
};
