// `promote destroy`: removes the lab in reverse order (node groups, cluster, stack), waits for
// each, deletes whatever the stack's delete left behind with the lab's tag, then looks again for
// anything tagged: if something is still there it is listed and the command fails.
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { withLabLock } from '../lab/lab-lock.ts';
import { DeleteClusterCommand } from '@aws-sdk/client-eks';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { runTask, type RunTaskOptions, type TaskReporter } from '../tasks/task.ts';
import { waitClusterDeleted } from './apply-cluster.ts';
import { deleteNodegroup } from './apply-nodegroups.ts';
import { deleteStack } from './apply-stack.ts';
import { closeClients, type AwsClients } from './aws-clients.ts';
import { awsFailure, isNotFound } from './aws-errors.ts';
import { promoteContext, removePromoteFiles, type PromoteOptions } from './context.ts';
import { eksLabName, forgetEksLab } from './eks-lab.ts';
import { callerIdentity, describeIdentity, type CallerIdentity } from './identity.ts';
import { findLeftovers, type Leftover } from './leftovers.ts';
import type { PromoteNames } from './names.ts';
import { observe } from './observe.ts';
import { sweepLeftovers } from './sweep.ts';

export interface DestroyResult {
  lab: string;
  region: string;
  identity: CallerIdentity;
  existed: boolean;
  swept: Leftover[];
  /** The lab `<lab>-eks` that was forgotten with the cluster, if there was one. */
  forgotLab?: string;
  taskLog: string;
}

const deleteCluster = async (clients: AwsClients, names: PromoteNames, task: TaskReporter) => {
  await clients.eks.send(new DeleteClusterCommand({ name: names.cluster })).catch((error) => {
    if (!isNotFound(error)) throw awsFailure(`delete the cluster ${names.cluster}`, error, clients);
  });
  await waitClusterDeleted(clients, names.cluster, task);
};

// A stack delete that fails still lets destroy go on: the sweep removes what blocked it.
const tryDeleteStack = async (clients: AwsClients, names: PromoteNames, task: TaskReporter) => {
  try {
    const status = await deleteStack(clients, names, task);
    if (status !== 'GONE') task.log(`the stack ended ${status}; deleting what it left behind`);
  } catch (error) {
    task.log(`the stack delete failed (${(error as Error).message}); deleting what it left behind`);
  }
};

// One promote command at a time on a lab (lab-lock.ts): a second one is refused, naming the first.
export const destroyPromotion = (
  options: PromoteOptions,
  taskOptions: RunTaskOptions = {},
): Promise<DestroyResult> =>
  withLabLock(
    checkLabName(options.name ?? DEFAULT_LAB_NAME),
    'promote destroy',
    () => destroyLocked(options, taskOptions),
    'promote',
  );

const destroyLocked = async (
  options: PromoteOptions,
  taskOptions: RunTaskOptions,
): Promise<DestroyResult> => {
  const ctx = await promoteContext(options);
  const { clients, names } = ctx;
  try {
    return await runTask(
      `Destroy promoted lab ${names.lab} in ${names.region}`,
      async (task) => {
        task.step('Check the AWS identity');
        const identity = await callerIdentity(clients);
        task.progress(1, describeIdentity(identity, clients));

        task.step('Find what the lab has');
        const observed = await observe(clients, names);
        const before = await findLeftovers(clients, names);
        task.progress(1, `${before.length} tagged resources, ${observed.nodegroups.length} node groups`);

        if (observed.cluster?.status === 'ACTIVE' && !clients.endpoint) {
          task.step('Delete the load balancers Kubernetes made (they are not in the stack)');
          const { deleteLoadBalancers } = await import('./destroy-in-cluster.ts');
          await deleteLoadBalancers(clients, names, observed.cluster, task);
        }
        task.step(`Delete ${observed.nodegroups.length} node groups`);
        await Promise.all(
          observed.nodegroups.map((ng) => deleteNodegroup(clients, names.cluster, ng.name, task)),
        );

        task.step(`Delete the cluster ${names.cluster}`);
        if (observed.cluster) await deleteCluster(clients, names, task);

        task.step(`Delete the stack ${names.stack}`);
        if (observed.stack) await tryDeleteStack(clients, names, task);

        task.step("Delete what is left with the lab's tag");
        const swept = await sweepLeftovers(clients, names, task);
        if ((await findLeftovers(clients, names)).some((l) => l.type === 'AWS::CloudFormation::Stack'))
          await tryDeleteStack(clients, names, task);

        task.step('Check that nothing tagged is left');
        const left = await findLeftovers(clients, names);
        if (left.length > 0) {
          throw new KartStreamError(
            'cluster-failed',
            `${left.length} resource${left.length > 1 ? 's' : ''} of lab ${names.lab} still exist in ${names.region}`,
            {
              details: [
                ...left.map((l) => `${l.type} ${l.id}${l.detail ? ` (${l.detail})` : ''}`),
                ...swept.failed.map(
                  (f) => `could not delete ${f.leftover.type} ${f.leftover.id}: ${f.error}`,
                ),
              ],
              fix: 'run destroy again (it resumes); if something stays, delete it in the AWS console and run destroy once more',
            },
          );
        }
        await removePromoteFiles(names.lab);
        const forgot = await forgetEksLab(names);
        if (forgot) task.log(`forgot lab ${eksLabName(names.lab)}`);
        return {
          lab: names.lab,
          region: names.region,
          identity,
          existed: before.length > 0 || Boolean(observed.cluster),
          swept: swept.deleted,
          ...(forgot ? { forgotLab: eksLabName(names.lab) } : {}),
          taskLog: task.logPath,
        };
      },
      taskOptions,
    );
  } finally {
    closeClients(clients);
  }
};
