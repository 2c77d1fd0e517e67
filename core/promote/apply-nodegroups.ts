// One managed node group per pool: created when missing, its scaling, labels and taints updated in
// place (UpdateNodegroupConfig), replaced when a field EKS cannot change differs (instance type,
// AMI type, subnets), deleted when no pool names it. Creation starts every group, then waits.
import {
  CreateNodegroupCommand,
  DeleteNodegroupCommand,
  UpdateNodegroupConfigCommand,
  waitUntilNodegroupActive,
  waitUntilNodegroupDeleted,
  type UpdateNodegroupConfigCommandInput,
} from '@aws-sdk/client-eks';
import type { TaskReporter } from '../tasks/task.ts';
import type { AwsClients } from './aws-clients.ts';
import { aws, awsFailure } from './aws-errors.ts';
import { createNodegroupInput, type NodegroupSpec, type StackOutputs } from './eks-spec.ts';
import type { PromoteNames } from './names.ts';
import { observeNodegroups, type ObservedNodegroup } from './observe.ts';
import { nodegroupChanges } from './plan-diff.ts';
import { waitFor } from './waiting.ts';

const NODEGROUP_WAIT = { maxWaitTime: 30 * 60, minDelay: 15, maxDelay: 30 };

export const waitNodegroupActive = (clients: AwsClients, cluster: string, name: string, task: TaskReporter) =>
  waitFor(`node group ${name} to be ACTIVE`, task, NODEGROUP_WAIT, (config) =>
    waitUntilNodegroupActive(
      { client: clients.eks, ...config },
      { clusterName: cluster, nodegroupName: name },
    ),
  );

export const waitNodegroupDeleted = (
  clients: AwsClients,
  cluster: string,
  name: string,
  task: TaskReporter,
) =>
  waitFor(`node group ${name} to be deleted`, task, NODEGROUP_WAIT, (config) =>
    waitUntilNodegroupDeleted(
      { client: clients.eks, ...config },
      { clusterName: cluster, nodegroupName: name },
    ),
  );

export const deleteNodegroup = async (
  clients: AwsClients,
  cluster: string,
  name: string,
  task: TaskReporter,
) => {
  await clients.eks
    .send(new DeleteNodegroupCommand({ clusterName: cluster, nodegroupName: name }))
    .catch((error) => {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException')
        throw awsFailure(`delete the node group ${name}`, error, clients);
    });
  await waitNodegroupDeleted(clients, cluster, name, task);
};

// The UpdateNodegroupConfig that turns `ng` into `spec` (scaling, labels, taints).
export const updateConfigInput = (
  cluster: string,
  spec: NodegroupSpec,
  ng: ObservedNodegroup,
): UpdateNodegroupConfigCommandInput => {
  const removeLabels = Object.keys(ng.labels).filter((k) => !(k in spec.labels));
  const wanted = new Set(spec.taints.map((t) => `${t.key}:${t.effect}`));
  const removeTaints = ng.taints
    .filter((t) => !wanted.has(`${t.key}:${t.effect}`))
    .map((t) => ({
      key: t.key,
      value: t.value,
      effect: t.effect as NodegroupSpec['taints'][number]['effect'],
    }));
  return {
    clusterName: cluster,
    nodegroupName: spec.name,
    scalingConfig: { ...spec.scaling },
    labels: { addOrUpdateLabels: { ...spec.labels }, ...(removeLabels.length ? { removeLabels } : {}) },
    taints: {
      addOrUpdateTaints: spec.taints.map((t) => ({ ...t })),
      ...(removeTaints.length ? { removeTaints } : {}),
    },
  };
};

// Converges one pool's node group without waiting for it to be ACTIVE; returns what it did.
export const applyNodegroup = async (
  clients: AwsClients,
  names: PromoteNames,
  spec: NodegroupSpec,
  outputs: StackOutputs,
  task: TaskReporter,
): Promise<'created' | 'updated' | 'replaced' | 'unchanged'> => {
  const find = async () =>
    (await observeNodegroups(clients, names.cluster)).find((n) => n.name === spec.name);
  let ng = await find();
  let replaced = false;
  if (ng && /^(CREATING|UPDATING)$/.test(ng.status)) {
    await waitNodegroupActive(clients, names.cluster, spec.name, task);
    ng = await find();
  }
  if (ng?.status === 'DELETING') {
    await waitNodegroupDeleted(clients, names.cluster, spec.name, task);
    ng = undefined;
  }
  if (ng) {
    const { replace, update } = nodegroupChanges(spec, ng, outputs);
    const failed = /FAILED$/.test(ng.status);
    if (replace.length || failed) {
      task.log(`replacing node group ${spec.name}: ${failed ? ng.status : replace.join('; ')}`);
      await deleteNodegroup(clients, names.cluster, spec.name, task);
      ng = undefined;
      replaced = true;
    } else if (update.length) {
      task.log(`updating node group ${spec.name}: ${update.join('; ')}`);
      await aws(`update the node group ${spec.name}`, () =>
        clients.eks.send(new UpdateNodegroupConfigCommand(updateConfigInput(names.cluster, spec, ng!))),
      );
      return 'updated';
    } else return 'unchanged';
  }
  await clients.eks
    .send(new CreateNodegroupCommand(createNodegroupInput(spec, outputs, names)))
    .catch((error) => {
      if ((error as { name?: string }).name !== 'ResourceInUseException')
        throw awsFailure(`create the node group ${spec.name}`, error, clients);
    });
  return replaced ? 'replaced' : 'created';
};

// Waits for every node group to be ACTIVE, reporting each as it gets there.
export const waitNodegroupsActive = async (
  clients: AwsClients,
  cluster: string,
  specs: NodegroupSpec[],
  task: TaskReporter,
): Promise<void> => {
  let done = 0;
  await Promise.all(
    specs.map(async (spec) => {
      await waitNodegroupActive(clients, cluster, spec.name, task);
      done += 1;
      task.progress(done / specs.length, `node group ${spec.name} is ACTIVE (${done}/${specs.length})`);
    }),
  );
};

// Deletes node groups that no pool names (in parallel), waiting until they are gone.
export const removeStrayNodegroups = async (
  clients: AwsClients,
  cluster: string,
  specs: NodegroupSpec[],
  task: TaskReporter,
): Promise<string[]> => {
  const stray = (await observeNodegroups(clients, cluster)).filter(
    (n) => !specs.some((s) => s.name === n.name),
  );
  await Promise.all(stray.map((n) => deleteNodegroup(clients, cluster, n.name, task)));
  return stray.map((n) => n.name);
};
