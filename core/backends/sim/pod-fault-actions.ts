// Breaking and healing pods on sim: label the pods (a KWOK stage then plays the fault), and heal
// by deleting the labelled pods so their controllers make healthy ones.
import type { PodFault } from '../cluster-backend.ts';
import type { KubeClients } from '../../kube/kube-client.ts';
import { FAULT_LABEL } from './pod-faults.ts';
import { ignoreNotFound, mergePatch } from './patching.ts';

/** Labels the live pods matching `selector` with the fault; returns how many. */
export const breakLabelledPods = async (
  clients: KubeClients,
  namespace: string,
  selector: string,
  fault: PodFault,
): Promise<number> => {
  const pods = (await clients.core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
    (p) => !p.metadata?.deletionTimestamp,
  );
  await Promise.all(
    pods.map((p) =>
      clients.core.patchNamespacedPod(
        {
          name: p.metadata?.name ?? '',
          namespace,
          body: { metadata: { labels: { [FAULT_LABEL]: fault } } },
        },
        mergePatch,
      ),
    ),
  );
  return pods.length;
};

/** Deletes the faulted pods matching `selector` at once; returns how many. */
export const healLabelledPods = async (
  clients: KubeClients,
  namespace: string,
  selector: string,
): Promise<number> => {
  const labelSelector = [selector, FAULT_LABEL].filter(Boolean).join(',');
  const pods = (await clients.core.listNamespacedPod({ namespace, labelSelector })).items;
  await Promise.all(
    pods.map((p) =>
      clients.core
        .deleteNamespacedPod({ name: p.metadata?.name ?? '', namespace, gracePeriodSeconds: 0 })
        .catch(ignoreNotFound),
    ),
  );
  return pods.length;
};
