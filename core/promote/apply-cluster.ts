// The EKS cluster, the caller's access entry and the core add-ons, each converged on its own:
// created when missing, waited for when in progress (an interrupted apply), left alone when right.
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateAddonCommand,
  CreateClusterCommand,
  DeleteClusterCommand,
  UpdateClusterVersionCommand,
  waitUntilAddonActive,
  waitUntilClusterActive,
  waitUntilClusterDeleted,
} from '@aws-sdk/client-eks';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { TaskReporter } from '../tasks/task.ts';
import type { AwsClients } from './aws-clients.ts';
import { aws, awsFailure, isUnsupportedByEndpoint } from './aws-errors.ts';
import { createClusterInput, type AddonSpec, type ClusterSpec, type StackOutputs } from './eks-spec.ts';
import type { PromoteNames } from './names.ts';
import { observeAccessEntries, observeAddons, observeCluster, type ObservedCluster } from './observe.ts';
import { waitFor } from './waiting.ts';

const CLUSTER_WAIT = { maxWaitTime: 40 * 60, minDelay: 15, maxDelay: 30 };
const ADDON_WAIT = { maxWaitTime: 15 * 60, minDelay: 10, maxDelay: 20 };
export const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

const alreadyExists = (error: unknown) =>
  ['ResourceInUseException', 'ResourceInUse'].includes((error as { name?: string }).name ?? '');

const waitActive = (clients: AwsClients, name: string, task: TaskReporter) =>
  waitFor(`cluster ${name} to be ACTIVE`, task, CLUSTER_WAIT, (config) =>
    waitUntilClusterActive({ client: clients.eks, ...config }, { name }),
  );

export const waitClusterDeleted = (clients: AwsClients, name: string, task: TaskReporter) =>
  waitFor(`cluster ${name} to be deleted`, task, CLUSTER_WAIT, (config) =>
    waitUntilClusterDeleted({ client: clients.eks, ...config }, { name }),
  );

// Converges the cluster; returns it ACTIVE.
export const applyCluster = async (
  clients: AwsClients,
  names: PromoteNames,
  spec: ClusterSpec,
  outputs: StackOutputs,
  task: TaskReporter,
): Promise<ObservedCluster> => {
  let cluster = await observeCluster(clients, names);
  if (cluster?.status === 'DELETING') {
    await waitClusterDeleted(clients, names.cluster, task);
    cluster = undefined;
  }
  if (cluster?.status === 'FAILED') {
    task.log('the cluster is FAILED: deleting it to create it again');
    await aws('delete the failed cluster', () =>
      clients.eks.send(new DeleteClusterCommand({ name: names.cluster })),
    );
    await waitClusterDeleted(clients, names.cluster, task);
    cluster = undefined;
  }
  if (!cluster) {
    task.progress(
      0,
      `creating cluster ${names.cluster} (Kubernetes ${spec.version}); EKS takes about 10 minutes`,
    );
    await clients.eks
      .send(new CreateClusterCommand(createClusterInput(spec, outputs, names)))
      .catch((error) => {
        if (!alreadyExists(error)) throw awsFailure(`create the cluster ${names.cluster}`, error, clients);
      });
  }
  await waitActive(clients, names.cluster, task);
  cluster = await observeCluster(clients, names);
  if (cluster?.version && cluster.version !== spec.version) {
    task.progress(0.5, `upgrading Kubernetes ${cluster.version} → ${spec.version}`);
    await aws('update the cluster version', () =>
      clients.eks.send(new UpdateClusterVersionCommand({ name: names.cluster, version: spec.version })),
    );
    await waitActive(clients, names.cluster, task);
    cluster = await observeCluster(clients, names);
  }
  if (!cluster)
    throw new KartStreamError('cluster-failed', `the cluster ${names.cluster} vanished while applying`);
  return cluster;
};

// The caller's access entry with cluster-admin; EKS makes it for the creator, this covers others.
export const applyAccessEntry = async (
  clients: AwsClients,
  names: PromoteNames,
  principalArn: string,
  task: TaskReporter,
): Promise<'created' | 'exists' | 'unsupported'> => {
  const entries = await observeAccessEntries(clients, names.cluster);
  if (entries === 'unsupported') {
    task.log(`the endpoint ${clients.endpoint} has no access-entry API; skipped (the creator is admin)`);
    return 'unsupported';
  }
  if (entries.includes(principalArn)) return 'exists';
  await clients.eks
    .send(new CreateAccessEntryCommand({ clusterName: names.cluster, principalArn, tags: names.tags }))
    .catch((error) => {
      if (!alreadyExists(error)) throw awsFailure('create the access entry', error, clients);
    });
  await aws('make the caller cluster admin', () =>
    clients.eks.send(
      new AssociateAccessPolicyCommand({
        clusterName: names.cluster,
        principalArn,
        policyArn: CLUSTER_ADMIN_POLICY,
        accessScope: { type: 'cluster' },
      }),
    ),
  );
  return 'created';
};

// The core add-ons (created if missing, then waited ACTIVE); skipped where the endpoint lacks them.
export const applyAddons = async (
  clients: AwsClients,
  names: PromoteNames,
  addons: AddonSpec[],
  task: TaskReporter,
): Promise<string[]> => {
  const existing = await observeAddons(clients, names.cluster);
  if (existing === 'unsupported') {
    task.log(
      `the endpoint ${clients.endpoint} has no add-on API; skipped ${addons.map((a) => a.name).join(', ')}`,
    );
    return [];
  }
  const created: string[] = [];
  for (const addon of addons.filter((a) => !existing.includes(a.name))) {
    await clients.eks
      .send(
        new CreateAddonCommand({
          clusterName: names.cluster,
          addonName: addon.name,
          resolveConflicts: 'OVERWRITE',
          configurationValues: addon.configurationValues,
          tags: names.tags,
        }),
      )
      .catch((error) => {
        if (isUnsupportedByEndpoint(clients, error)) return;
        if (!alreadyExists(error)) throw awsFailure(`create the add-on ${addon.name}`, error, clients);
      });
    created.push(addon.name);
  }
  for (const [i, addon] of addons.entries()) {
    task.progress(i / addons.length, `add-on ${addon.name}`);
    await waitFor(`add-on ${addon.name} to be ACTIVE`, task, ADDON_WAIT, (config) =>
      waitUntilAddonActive(
        { client: clients.eks, ...config },
        { clusterName: names.cluster, addonName: addon.name },
      ),
    );
  }
  return created;
};
