// failNode / healNode on a cluster KartStream did not create, through the API only. KartStream
// cannot stop the kubelet of someone else's machine, so a failed node is a stand-in: cordoned
// (no new pods) and tainted `kartstream.dev/failed:NoExecute` (every pod without a matching
// toleration is evicted at once, as the node controller's not-ready taint would after its
// toleration runs out). The kubelet keeps running and the node stays Ready. Heal removes the
// taint, and the cordon only when KartStream set it (an annotation says so).
import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { apiStatus, type KubeClients } from '../../kube/kube-client.ts';
import { jsonPatch, mergePatch } from '../../kube/patch-options.ts';

/** KartStream's own taint on a node it failed. */
export const FAILED_TAINT: V1Taint = { key: 'kartstream.dev/failed', value: 'true', effect: 'NoExecute' };
/** Set on a node KartStream cordoned, so heal uncordons only what it cordoned. */
export const CORDONED_ANNOTATION = 'kartstream.dev/cordoned';

/** Whether KartStream has failed this node. */
export const isFailedNode = (node: V1Node): boolean =>
  (node.spec?.taints ?? []).some((t) => t.key === FAILED_TAINT.key && t.effect === FAILED_TAINT.effect);

const readNode = async (clients: KubeClients, name: string, lab: string): Promise<V1Node> => {
  try {
    return await clients.core.readNode({ name });
  } catch (error) {
    if (apiStatus(error) === 404)
      throw new KartStreamError('not-found', `there is no node "${name}" in lab ${lab}`, {
        fix: 'see the nodes with `npx kartstream status`',
      });
    throw error;
  }
};

// The taint list is replaced as a whole, guarded by a `test` of what was read (no lost update).
// A node's resourceVersion moves with every status update of its kubelet, so a failed test (422)
// is read again and retried.
const TAINT_ATTEMPTS = 5;
const updateTaints = async (
  clients: KubeClients,
  name: string,
  lab: string,
  change: (taints: V1Taint[]) => V1Taint[],
): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    const node = await readNode(clients, name, lab);
    const before = node.spec?.taints ?? [];
    const after = change(before);
    if (after.length === before.length && after.every((t, i) => t === before[i])) return;
    try {
      await clients.core.patchNode(
        {
          name,
          body: [
            { op: 'test', path: '/metadata/resourceVersion', value: node.metadata?.resourceVersion },
            { op: 'add', path: '/spec/taints', value: after },
          ],
        },
        jsonPatch,
      );
      return;
    } catch (error) {
      if (apiStatus(error) !== 422 || attempt === TAINT_ATTEMPTS) throw error;
    }
  }
};

const isOurs = (t: V1Taint) => t.key === FAILED_TAINT.key && t.effect === FAILED_TAINT.effect;

/** Cordons the node (remembering that KartStream did) and adds the failed taint. */
export const failExternalNode = async (clients: KubeClients, name: string, lab: string): Promise<void> => {
  const node = await readNode(clients, name, lab);
  if (isFailedNode(node)) return;
  if (!node.spec?.unschedulable)
    await clients.core.patchNode(
      {
        name,
        body: { metadata: { annotations: { [CORDONED_ANNOTATION]: 'true' } }, spec: { unschedulable: true } },
      },
      mergePatch,
    );
  await updateTaints(clients, name, lab, (taints) =>
    taints.some(isOurs) ? taints : [...taints, FAILED_TAINT],
  );
};

/** Removes the failed taint, and the cordon when KartStream set it; nothing on a healthy node. */
export const healExternalNode = async (clients: KubeClients, name: string, lab: string): Promise<void> => {
  const node = await readNode(clients, name, lab);
  if (isFailedNode(node))
    await updateTaints(clients, name, lab, (taints) => taints.filter((t) => !isOurs(t)));
  if (node.metadata?.annotations?.[CORDONED_ANNOTATION])
    await clients.core.patchNode(
      {
        name,
        body: { metadata: { annotations: { [CORDONED_ANNOTATION]: null } }, spec: { unschedulable: false } },
      },
      mergePatch,
    );
};

/** Heals every node KartStream failed or cordoned; returns their names. */
export const healAllExternalNodes = async (clients: KubeClients, lab: string): Promise<string[]> => {
  const marked = (await clients.core.listNode()).items.filter(
    (n) => isFailedNode(n) || n.metadata?.annotations?.[CORDONED_ANNOTATION],
  );
  for (const node of marked) await healExternalNode(clients, node.metadata?.name ?? '', lab);
  return marked.map((n) => n.metadata?.name ?? '');
};
