// `promote scale --pool P --nodes N`: sets a pool's node group size through UpdateNodegroupConfig
// (N = 0 idles the pool: min 0, desired 0, max kept ≥ 1), then waits for it to be ACTIVE.
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { withLabLock } from '../lab/lab-lock.ts';
import { UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import type { Pool } from '../topology/schema.ts';
import { runTask, type RunTaskOptions } from '../tasks/task.ts';
import { waitNodegroupActive } from './apply-nodegroups.ts';
import { closeClients, type AwsClients } from './aws-clients.ts';
import { aws, isNotFound } from './aws-errors.ts';
import { promoteContext, type PromoteOptions } from './context.ts';
import type { Scaling } from './eks-spec.ts';
import { callerIdentity, describeIdentity } from './identity.ts';
import { observeNodegroups } from './observe.ts';

export interface ScaleOptions extends PromoteOptions {
  pool: string;
  nodes: number;
}

export interface ScaleResult {
  pool: string;
  before?: Scaling;
  after: Scaling;
  taskLog: string;
}

// The scaling a pool gets for `nodes` (pure): min drops to fit, max stays at least 1.
export const scalingFor = (pool: Pool, nodes: number): Scaling => {
  if (!Number.isInteger(nodes) || nodes < 0)
    throw new KartStreamError('invalid-input', `--nodes: got ${nodes}, expected a whole number ≥ 0`);
  if (nodes > pool.eks.maxSize)
    throw new KartStreamError(
      'invalid-input',
      `--nodes: got ${nodes}, more than pool ${pool.name}'s eks.maxSize (${pool.eks.maxSize})`,
      { fix: `use --nodes ${pool.eks.maxSize} or fewer, or raise eks.maxSize in the topology and run apply` },
    );
  return {
    minSize: Math.min(pool.eks.minSize, nodes),
    maxSize: Math.max(pool.eks.maxSize, 1),
    desiredSize: nodes,
  };
};

// The cluster's node groups; none when the cluster does not exist. Any other failure
// (credentials, access, the network) is raised, not taken for "no node group".
export const nodegroupsOrNone = (clients: AwsClients, cluster: string) =>
  observeNodegroups(clients, cluster).catch((error: unknown) => {
    if (isNotFound(isKartStreamError(error) ? error.cause : error)) return [];
    throw error;
  });

// One promote command at a time on a lab (lab-lock.ts): a second one is refused, naming the first.
export const scalePromotedPool = (
  options: ScaleOptions,
  taskOptions: RunTaskOptions = {},
): Promise<ScaleResult> =>
  withLabLock(
    checkLabName(options.name ?? DEFAULT_LAB_NAME),
    'promote scale',
    () => scaleLocked(options, taskOptions),
    'promote',
  );

const scaleLocked = async (options: ScaleOptions, taskOptions: RunTaskOptions): Promise<ScaleResult> => {
  const ctx = await promoteContext(options);
  const { clients, names } = ctx;
  try {
    const pool = ctx.topology.pools.find((p) => p.name === options.pool);
    if (!pool)
      throw new KartStreamError('invalid-input', `--pool: no pool named ${JSON.stringify(options.pool)}`, {
        fix: `use one of ${ctx.topology.pools.map((p) => p.name).join(', ')}`,
      });
    const after = scalingFor(pool, options.nodes);
    return await runTask(
      `Scale pool ${pool.name} of promoted lab ${names.lab} to ${options.nodes}`,
      async (task) => {
        task.step('Check the AWS identity');
        task.progress(1, describeIdentity(await callerIdentity(clients), clients));
        task.step(
          `Update node group ${pool.name}: min ${after.minSize}, desired ${after.desiredSize}, max ${after.maxSize}`,
        );
        const ng = (await nodegroupsOrNone(clients, names.cluster)).find((n) => n.name === pool.name);
        if (!ng)
          throw new KartStreamError(
            'not-found',
            `lab ${names.lab} has no node group ${pool.name} in ${names.region}`,
            {
              fix: `run \`kartstream promote apply --name ${names.lab}\` first`,
            },
          );
        await aws(`update the node group ${pool.name}`, () =>
          clients.eks.send(
            new UpdateNodegroupConfigCommand({
              clusterName: names.cluster,
              nodegroupName: pool.name,
              scalingConfig: after,
            }),
          ),
        );
        task.step(`Wait for node group ${pool.name} to be ACTIVE`);
        await waitNodegroupActive(clients, names.cluster, pool.name, task);
        return { pool: pool.name, before: ng.scaling, after, taskLog: task.logPath };
      },
      taskOptions,
    );
  } finally {
    closeClients(clients);
  }
};
