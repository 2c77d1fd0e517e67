// Sim pools: nodes are Node objects KWOK plays, so a pool grows by creating Nodes from the
// topology and shrinks by draining and deleting the highest-numbered ones, as a node group does.
import type { V1Node } from '@kubernetes/client-node';
import type { LabContext } from '../cluster-backend.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import { serverSideApply } from '../../kube/server-side-apply.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { renderSimNode } from '../../topology/render-sim-nodes.ts';
import { ignoreNotFound, mergePatch } from './patching.ts';

const NODE_INDEX = /-(\d+)$/;
const nodeIndex = (node: V1Node) =>
  Number.parseInt(NODE_INDEX.exec(node.metadata?.name ?? '')?.[1] ?? '0', 10);

/** Sets the number of nodes of a pool: new Nodes fill the lowest free numbers; removal drains first. */
export const scaleSimPool = async (
  lab: LabContext,
  pool: string,
  nodes: number,
  task: TaskReporter,
): Promise<void> => {
  const spec = lab.topology.pools.find((p) => p.name === pool);
  if (!spec) {
    throw new KartStreamError('invalid-input', `there is no pool "${pool}"`, {
      fix: `use one of: ${lab.topology.pools.map((p) => p.name).join(', ')}`,
    });
  }
  const clients = kubeClients(lab.kubeconfigPath);
  const current = (await clients.core.listNode({ labelSelector: `pool=${pool}` })).items.sort(
    (a, b) => nodeIndex(a) - nodeIndex(b),
  );
  if (nodes > current.length) {
    const used = new Set(current.map(nodeIndex));
    const added: V1Node[] = [];
    for (let i = 1; added.length < nodes - current.length; i += 1)
      if (!used.has(i)) added.push(renderSimNode(lab.topology, spec, i));
    task.log(`adding ${added.map((n) => n.metadata?.name).join(', ')} to pool ${pool}`);
    await serverSideApply(clients, added, { signal: task.signal });
  }
  // Removing a node drains it first, as a node group scale-in does: its pods go at once and
  // their controllers make new ones wherever there is room (or leave them Pending).
  for (const node of current.slice(nodes).reverse()) {
    const name = node.metadata?.name ?? '';
    task.log(`draining and removing ${name}`);
    await clients.core.patchNode({ name, body: { spec: { unschedulable: true } } }, mergePatch);
    const pods = await clients.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` });
    await Promise.all(
      pods.items.map((p) =>
        clients.core
          .deleteNamespacedPod({
            name: p.metadata?.name ?? '',
            namespace: p.metadata?.namespace ?? '',
            gracePeriodSeconds: 0,
          })
          .catch(ignoreNotFound),
      ),
    );
    await clients.core.deleteNode({ name }).catch(ignoreNotFound);
  }
};
