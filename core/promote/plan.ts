// `promote plan`: checks the inputs, shows who is calling, reads what exists and lists what apply
// would create or change, with the cost per hour. Creates nothing.
import { DescribeInstanceTypesCommand, type _InstanceType } from '@aws-sdk/client-ec2';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { Topology } from '../topology/schema.ts';
import { closeClients, type AwsClients } from './aws-clients.ts';
import { awsFailure } from './aws-errors.ts';
import { promoteContext, type PromoteContext, type PromoteOptions } from './context.ts';
import { CORE_ADDONS, desiredCluster, desiredNodegroups } from './eks-spec.ts';
import { callerIdentity, type CallerIdentity } from './identity.ts';
import { NAT_TAG, type NatMode } from './names.ts';
import { renderNetworkStack } from './network-stack.ts';
import { BASTION_INSTANCE_TYPE } from './network-stack-iam.ts';
import { observe, type Observed } from './observe.ts';
import {
  hasChanges,
  planItems,
  summarize,
  type Desired,
  type PlanItem,
  type PlanSummary,
} from './plan-diff.ts';
import { estimateCost, loadPrices, type CostEstimate } from './prices.ts';
import { pickZones } from './zones.ts';

export interface PromotionPlan {
  lab: string;
  region: string;
  endpoint?: string;
  identity: CallerIdentity;
  natMode: NatMode;
  zones: string[];
  items: PlanItem[];
  summary: PlanSummary;
  changes: boolean;
  cost: CostEstimate;
}

// Unknown instance types fail here, naming the pools, before anything is created.
export const checkInstanceTypes = async (clients: AwsClients, topology: Topology): Promise<void> => {
  const types = [...new Set([...topology.pools.map((p) => p.eks.instanceType), BASTION_INSTANCE_TYPE])];
  try {
    await clients.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: types as _InstanceType[] }));
  } catch (error) {
    const { name, message = '' } = error as { name?: string; message?: string };
    if (name !== 'InvalidInstanceType' && !/instance type/i.test(message)) {
      throw awsFailure('check the instance types', error, clients);
    }
    const unknown = types.filter((t) => message.includes(t));
    const pools = topology.pools.filter((p) => unknown.includes(p.eks.instanceType));
    throw new KartStreamError(
      'invalid-input',
      `unknown instance type${unknown.length > 1 ? 's' : ''} ${unknown.join(', ') || '(see below)'} in ${clients.region}`,
      {
        cause: error,
        details: [...pools.map((p) => `pools[${p.name}].eks.instanceType: ${p.eks.instanceType}`), message],
        fix: 'use an EC2 instance type offered in the region (e.g. t3.medium), in the topology',
      },
    );
  }
};

// What should exist, given what does (the NAT mode is kept unless asked to change).
export const desiredState = (
  ctx: PromoteContext,
  observed: Observed,
  zones: string[],
  identity?: CallerIdentity,
): Desired => {
  const fromStack = observed.stack?.tags[NAT_TAG];
  const natMode: NatMode = ctx.nat ?? (fromStack === 'per-az' ? 'per-az' : 'single');
  return {
    names: ctx.names,
    natMode,
    template: renderNetworkStack(ctx.topology, { names: ctx.names, natMode, zones }),
    cluster: desiredCluster(ctx.topology, ctx.names),
    nodegroups: desiredNodegroups(ctx.topology),
    addons: CORE_ADDONS,
    principalArn: identity?.principalArn,
  };
};

export const costOf = (ctx: PromoteContext, desired: Desired): CostEstimate =>
  estimateCost(
    {
      region: ctx.names.region,
      pools: desired.nodegroups.map((n) => ({
        name: n.name,
        instanceType: n.instanceType,
        nodes: n.scaling.desiredSize,
        publicIp: n.subnetTier === 'public',
      })),
      natMode: desired.natMode,
      availabilityZones: ctx.topology.zones.length,
      bastionInstanceType: BASTION_INSTANCE_TYPE,
    },
    loadPrices(),
  );

// The plan for a resolved context (apply reuses this with its own clients).
export const computePlan = async (
  ctx: PromoteContext,
  identity?: CallerIdentity,
): Promise<{ plan: PromotionPlan; desired: Desired; observed: Observed }> => {
  const who = identity ?? (await callerIdentity(ctx.clients));
  await checkInstanceTypes(ctx.clients, ctx.topology);
  const [observed, zones] = await Promise.all([
    observe(ctx.clients, ctx.names),
    pickZones(ctx.clients, ctx.topology.zones),
  ]);
  const desired = desiredState(ctx, observed, zones, who);
  const items = planItems(desired, observed);
  const summary = summarize(items);
  return {
    desired,
    observed,
    plan: {
      lab: ctx.names.lab,
      region: ctx.names.region,
      endpoint: ctx.clients.endpoint,
      identity: who,
      natMode: desired.natMode,
      zones,
      items,
      summary,
      changes: hasChanges(summary),
      cost: costOf(ctx, desired),
    },
  };
};

export const planPromotion = async (options: PromoteOptions): Promise<PromotionPlan> => {
  const ctx = await promoteContext(options);
  try {
    return (await computePlan(ctx)).plan;
  } finally {
    closeClients(ctx.clients);
  }
};
