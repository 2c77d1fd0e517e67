// `actions.*`: free play on a lab from the map: fail and heal a node, scale a pool (a task) or a
// Deployment, break and heal a Deployment's pods. Unknown nodes, pools and workloads are named
// with what there is instead; what the lab's backend cannot do is refused before anything runs.
import type { KartStreamServices } from '../../contract/services.ts';
import type { LabContext, PodFault } from '../../backends/cluster-backend.ts';
import type { Caller } from '../../contract/roles.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { apiStatus, kubeClients } from '../../kube/kube-client.ts';
import type { OpenLab } from '../../lab/open-lab.ts';
import { personKubeconfig } from '../../lab/team-identity.ts';
import { openKnownLab } from './labs-service.ts';
import type { ServiceContext } from './service-context.ts';
import { mergePatch } from '../../kube/patch-options.ts';

const MODES: Record<'crashloop' | 'notready' | 'failed', PodFault> = {
  crashloop: 'crashloop',
  notready: 'not-ready',
  failed: 'failed',
};

// A node of one of the lab's pools; otherwise not-found with the nodes there are, pool by pool.
const requirePoolNode = async ({ record, lab }: OpenLab, node: string): Promise<void> => {
  const { core } = kubeClients(lab.kubeconfigPath);
  const nodes = (await core.listNode()).items;
  const found = nodes.find((n) => n.metadata?.name === node);
  if (found?.metadata?.labels?.pool) return;
  const byPool = new Map<string, string[]>();
  for (const n of nodes) {
    const pool = n.metadata?.labels?.pool;
    if (pool) byPool.set(pool, [...(byPool.get(pool) ?? []), n.metadata?.name ?? '']);
  }
  throw new KartStreamError(
    'not-found',
    found
      ? `node "${node}" of lab ${record.name} belongs to no pool (the control plane cannot be failed)`
      : `there is no node "${node}" in lab ${record.name}`,
    {
      details: [...byPool].map(
        ([pool, names]) =>
          `pool ${pool}: ${names.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).join(', ')}`,
      ),
      fix: 'pick a node on the map',
    },
  );
};

// A Deployment of the shop; otherwise not-found with the workloads there are.
const requireWorkload = async ({ record, lab }: OpenLab, name: string): Promise<number> => {
  const { apps } = kubeClients(lab.kubeconfigPath);
  try {
    const d = await apps.readNamespacedDeployment({ name, namespace: record.namespace });
    return d.spec?.replicas ?? 1;
  } catch (error) {
    if (apiStatus(error) !== 404) throw error;
    const names = (await apps.listNamespacedDeployment({ namespace: record.namespace })).items
      .map((d) => d.metadata?.name ?? '')
      .sort();
    throw new KartStreamError(
      'not-found',
      `there is no workload "${name}" in namespace ${record.namespace} of lab ${record.name}`,
      {
        details: [names.length ? `workloads: ${names.join(', ')}` : 'the lab has no workloads'],
        fix: 'pick a workload from the list on the map',
      },
    );
  }
};

const requireCanFailNodes = ({ record, backend }: OpenLab): void => {
  if (!backend.capabilities().failNode)
    throw new KartStreamError('backend-unavailable', `the ${record.backend} backend cannot fail nodes`, {
      details: [backend.capabilities().unsupported.failNode ?? '', ...backend.capabilities().notes].filter(
        Boolean,
      ),
    });
};

/** The lab as the caller acts on it: a participant with their own identity, the local user as admin. */
const actingLab = ({ lab }: OpenLab, caller: Caller | undefined): LabContext =>
  caller?.kind === 'participant'
    ? { ...lab, kubeconfigPath: personKubeconfig(lab.name, caller.person) }
    : lab;

/** Runs a participant's action; the cluster's refusal of their identity says who and how to fix it. */
const asCaller = async <T>(caller: Caller | undefined, what: string, lab: string, act: () => Promise<T>) => {
  try {
    return await act();
  } catch (error) {
    if (apiStatus(error) !== 403 || caller?.kind !== 'participant') throw error;
    throw new KartStreamError(
      'conflict',
      `lab ${lab}'s cluster refused ${caller.person} ${what}: their ServiceAccount may not do it`,
      { fix: 'the facilitator can invite them again with a role that may act (commander or operator)' },
    );
  }
};

export const createActionsService = (ctx: ServiceContext): KartStreamServices['actions'] => ({
  failNode: async ({ lab, node }, caller) => {
    const open = await openKnownLab(lab);
    requireCanFailNodes(open);
    await requirePoolNode(open, node);
    await asCaller(caller, `the fault on node ${node}`, lab, () =>
      open.backend.failNode(actingLab(open, caller), node),
    );
  },

  healNode: async ({ lab, node }, caller) => {
    const open = await openKnownLab(lab);
    requireCanFailNodes(open);
    await requirePoolNode(open, node);
    await asCaller(caller, `the heal of node ${node}`, lab, () =>
      open.backend.healNode(actingLab(open, caller), node),
    );
  },

  scalePool: async ({ lab, pool, nodes }) => {
    const open = await openKnownLab(lab);
    const { record, backend } = open;
    const spec = open.lab.topology.pools.find((p) => p.name === pool);
    if (!spec)
      throw new KartStreamError('not-found', `there is no pool "${pool}" in lab ${record.name}`, {
        fix: `use one of: ${open.lab.topology.pools.map((p) => p.name).join(', ')}`,
      });
    const can = backend.capabilities();
    if (nodes > spec.nodes && !can.growPool)
      throw new KartStreamError(
        'backend-unavailable',
        `the ${record.backend} backend cannot grow pool ${pool} beyond the ${spec.nodes} node(s) it was created with`,
        {
          details: can.unsupported.growPool
            ? [can.unsupported.growPool]
            : can.notes.filter((n) => n.startsWith('growPool')),
          fix: `pick 0 to ${spec.nodes} nodes, or use a sim lab for bigger pools`,
        },
      );
    return {
      taskId: ctx.tasks.start(
        `Scale pool ${pool} of lab ${record.name} to ${nodes}`,
        { kind: 'pool-scale', lab },
        (task) => backend.scalePool(open.lab, pool, nodes, task),
      ).taskId,
    };
  },

  scaleDeployment: async ({ lab, name, replicas }, caller) => {
    const open = await openKnownLab(lab);
    await requireWorkload(open, name);
    const { apps } = kubeClients(actingLab(open, caller).kubeconfigPath);
    await asCaller(caller, `the scale of ${name}`, lab, () =>
      apps.patchNamespacedDeploymentScale(
        { name, namespace: open.record.namespace, body: { spec: { replicas } } },
        mergePatch,
      ),
    );
  },

  breakPods: async ({ lab, deployment, mode }, caller) => {
    const open = await openKnownLab(lab);
    const fault = MODES[mode];
    const can = open.backend.capabilities();
    if (!can.breakPods.includes(fault))
      throw new KartStreamError(
        'backend-unavailable',
        `the ${open.record.backend} backend cannot break pods the "${mode}" way`,
        {
          details: [
            can.unsupported[`breakPods:${fault}`] ?? '',
            ...can.notes.filter((n) => n.startsWith('breakPods')),
          ].filter(Boolean),
          fix: `use ${can.breakPods.map((f) => (f === 'not-ready' ? 'notready' : f)).join(' or ')}`,
        },
      );
    if ((await requireWorkload(open, deployment)) === 0)
      throw new KartStreamError('conflict', `${deployment} has no pods to break: it is scaled to 0`, {
        fix: `scale ${deployment} up first`,
      });
    await asCaller(caller, `the fault on ${deployment}'s pods`, lab, () =>
      open.backend.breakPods(actingLab(open, caller), open.record.namespace, `app=${deployment}`, fault),
    );
  },

  healPods: async ({ lab, deployment }, caller) => {
    const open = await openKnownLab(lab);
    if (deployment) await requireWorkload(open, deployment);
    await asCaller(caller, `the heal of ${deployment ?? 'the shop'}'s pods`, lab, () =>
      open.backend.healPods(
        actingLab(open, caller),
        open.record.namespace,
        deployment ? `app=${deployment}` : '',
      ),
    );
  },
});
