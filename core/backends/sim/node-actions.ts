// Failing and healing a sim node: the fault label makes KWOK's node-not-ready stage stop the
// node's heartbeat, as if its kubelet died; removing the label brings it back.
import type { LabContext } from '../cluster-backend.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { apiStatus, kubeClients, type KubeClients } from '../../kube/kube-client.ts';
import { sleep, waitUntil } from '../../tasks/wait.ts';
import { mergePatch } from './patching.ts';
import { FAULT_LABEL } from './pod-faults.ts';
import {
  isBackInService,
  markedNotReadyByNodeController,
  markPodsReady,
  MONITOR_PERIOD_MS,
} from './pod-readiness-sync.ts';

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

/** How long a healed node may take to be back in service before the heal fails. */
const BACK_IN_SERVICE_MS = 60_000;

/**
 * After a heal, plays the part of the kubelet's status sync. While the node controller still
 * counts a node as down, it marks a pod bound there not Ready (also a pod scheduled in the
 * seconds after the node came back, before the controller's next look at it); a real kubelet
 * puts its pods' Ready back on its next sync, KWOK's stages never do. So: wait until the
 * controller has the node back in service (its taints gone), let one monitor period pass for
 * marks already on their way, then make the node's healthy pods Ready again. Returns how many
 * pods it repaired. (The lab agent does the same for any node that comes back, e.g. after KWOK
 * stalled; this one makes a heal return with the pods Ready, also in a lab without the agent.)
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
  await sleep(MONITOR_PERIOD_MS);
  const pods = (await clients.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items;
  const stale = pods.filter(markedNotReadyByNodeController);
  await markPodsReady(clients, stale);
  return stale.length;
};
