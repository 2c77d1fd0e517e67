// Node faults and pool scaling with kind's real limits. A failed node is a paused container (its
// kubelet stops posting status; a stopped one could come back with a new IP and break the cluster,
// kind#2045). Scale-in is cordon + drain + pause, scale-out is unpause + uncordon: kind cannot add
// or remove nodes of a running cluster, so a pool only moves between 0 and its created size.
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { drainNode as drainNodeOf, setUnschedulable } from '../../kube/drain-node.ts';
import type { KubeClients } from '../../kube/kube-client.ts';
import { isNodeReady } from '../../kube/readiness.ts';
import type { LabContext } from '../cluster-backend.ts';
import { listLabContainers, type LabContainer } from './containers.ts';
import { containerArgs, runContainerCli } from './container-cli.ts';
import type { EngineProvider } from './engine-endpoint.ts';
import { kindNodeNames, labKindConfig } from './nodes.ts';
import type Docker from 'dockerode';
import { sleep } from '../../tasks/wait.ts';

const READY_TIMEOUT_MS = 120_000;

export interface NodeActionContext {
  lab: LabContext;
  clients: KubeClients;
  docker: Docker;
  provider: EngineProvider;
  log: (line: string) => void;
}

/** The lab's worker node `node`, or a clear error (unknown node, or the control plane). */
export const requireWorker = (lab: LabContext, node: string): void => {
  const known = kindNodeNames(labKindConfig(lab.topology, lab.name));
  const found = known.find((n) => n.name === node);
  if (!found)
    throw new KartStreamError('not-found', `there is no node "${node}" in lab ${lab.name}`, {
      fix: `use one of: ${known
        .filter((n) => n.role === 'worker')
        .map((n) => n.name)
        .join(', ')}`,
    });
  if (found.role === 'control-plane')
    throw new KartStreamError(
      'backend-unavailable',
      `the kind backend does not fail the control plane (${node}): the Kubernetes API would go with it`,
      {
        fix: 'fail a worker node of a pool instead',
      },
    );
};

const stateOf = async (ctx: NodeActionContext, node: string): Promise<LabContainer | undefined> =>
  (await listLabContainers(ctx.docker, ctx.lab.name)).find((c) => c.name === node);

/** `docker pause` of the node container; nothing when it is paused already. */
export const pauseNode = async (ctx: NodeActionContext, node: string): Promise<void> => {
  const container = await stateOf(ctx, node);
  if (!container)
    throw new KartStreamError('not-found', `node container ${node} does not exist`, {
      fix: 'check the lab with npx kartstream status',
    });
  if (container.state === 'paused') return;
  await runContainerCli(ctx.provider, containerArgs.pause(node), ctx.log);
};

/** `docker unpause` of the node container; a stopped (not paused) one is refused with the reason. */
export const unpauseNode = async (ctx: NodeActionContext, node: string): Promise<void> => {
  const container = await stateOf(ctx, node);
  if (!container)
    throw new KartStreamError('not-found', `node container ${node} does not exist`, {
      fix: 'check the lab with npx kartstream status',
    });
  if (container.state === 'running') return;
  if (container.state !== 'paused')
    throw new KartStreamError('cluster-failed', `node container ${node} is ${container.state}, not paused`, {
      details: [
        'a stopped kind node may come back with another IP address and break the cluster (kind#2045)',
      ],
      fix: 'recreate the lab: npx kartstream down, then npx kartstream up --backend kind',
    });
  await runContainerCli(ctx.provider, containerArgs.unpause(node), ctx.log);
};

/** Cordons a node and evicts its pods (PodDisruptionBudgets are obeyed), waiting until they are gone. */
export const drainNode = (ctx: NodeActionContext, node: string): Promise<void> =>
  drainNodeOf(ctx.clients, node, ctx.log);

/** Uncordons a node and waits until it reports Ready again. */
export const uncordonWhenReady = async (ctx: NodeActionContext, node: string): Promise<void> => {
  await setUnschedulable(ctx.clients, node, false);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!isNodeReady(await ctx.clients.core.readNode({ name: node }))) {
    if (Date.now() > deadline)
      throw new KartStreamError(
        'timeout',
        `node ${node} did not become Ready within ${READY_TIMEOUT_MS / 1000} s after unpause`,
      );
    await sleep(1000);
  }
};
