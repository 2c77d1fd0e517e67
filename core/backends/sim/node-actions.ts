// Failing and healing a sim node: the fault label makes KWOK's node-not-ready stage stop the
// node's heartbeat, as if its kubelet died; removing the label brings it back.
import type { LabContext } from '../cluster-backend.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { apiStatus, kubeClients } from '../../kube/kube-client.ts';
import { mergePatch } from './patching.ts';
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
