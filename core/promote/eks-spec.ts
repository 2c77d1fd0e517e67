// What the EKS side of a promoted lab should be, from the topology: the cluster (API
// authentication, the creator as admin), one managed node group per pool with the pool's label,
// taint, instance type, subnet tier (in the pool's zones) and scaling, and the core add-ons. Pure
// data for plan and apply.
import type { CreateClusterCommandInput, CreateNodegroupCommandInput, Taint } from '@aws-sdk/client-eks';
import type { Topology } from '../topology/schema.ts';
import { poolZones } from '../topology/zones.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { PromoteNames } from './names.ts';
import { subnetOutput, type SubnetTier } from './network-stack.ts';

type TaintEffect = NonNullable<Taint['effect']>;
const EFFECTS: Record<string, TaintEffect> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

export interface Scaling {
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

export interface NodegroupSpec {
  name: string;
  instanceType: string;
  amiType: 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD';
  subnetTier: SubnetTier;
  /** The pool's zones (letters); the node group gets its tier's subnet in each, and EKS balances over them. */
  zones: string[];
  /** Where those zones are in the topology's zones: the order of the stack's subnet outputs. */
  zoneSlots: number[];
  scaling: Scaling;
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: TaintEffect }[];
}

export interface AddonSpec {
  name: string;
  configurationValues?: string;
}

export interface ClusterSpec {
  name: string;
  version: string;
}

// Graviton families have a "g" after the generation digit (t4g, m7g, c6gn, r8g).
export const amiTypeFor = (instanceType: string): NodegroupSpec['amiType'] =>
  /^[a-z]+\d+g/.test(instanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';

// One node group per pool, named after it.
export const desiredNodegroups = (topology: Topology): NodegroupSpec[] =>
  topology.pools.map((pool) => ({
    name: pool.name,
    instanceType: pool.eks.instanceType,
    amiType: amiTypeFor(pool.eks.instanceType),
    subnetTier: pool.eks.subnetTier,
    zones: [...poolZones(topology, pool)],
    zoneSlots: poolZones(topology, pool).map((zone) => (topology.zones as readonly string[]).indexOf(zone)),
    scaling: { minSize: pool.eks.minSize, maxSize: pool.eks.maxSize, desiredSize: pool.nodes },
    labels: { ...pool.labels },
    taints: [
      { key: pool.taint.key, value: pool.taint.value, effect: EFFECTS[pool.taint.effect] ?? 'NO_SCHEDULE' },
    ],
  }));

// Every node group is tainted, so CoreDNS must tolerate the pool taints to run at all; the
// DaemonSet add-ons (vpc-cni, kube-proxy) tolerate everything already.
const COREDNS_CONFIG = JSON.stringify({
  tolerations: [
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
    { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    { key: 'pool', operator: 'Exists', effect: 'NoSchedule' },
  ],
});

/** The core add-ons, managed by EKS so their versions follow the cluster's. */
export const CORE_ADDONS: AddonSpec[] = [
  { name: 'vpc-cni' },
  { name: 'kube-proxy' },
  { name: 'coredns', configurationValues: COREDNS_CONFIG },
];

export const desiredCluster = (topology: Topology, names: PromoteNames): ClusterSpec => ({
  name: names.cluster,
  version: topology.eks.kubernetesVersion,
});

/** The network stack's outputs, by name. */
export type StackOutputs = Record<string, string>;

// The subnet ids of a tier, from the stack outputs (one per zone, in the topology's order).
export const tierSubnets = (outputs: StackOutputs, tier: SubnetTier): string[] =>
  (outputs[subnetOutput(tier)] ?? '').split(',').filter(Boolean);

// A node group's subnets: its tier's, in its pool's zones.
export const nodegroupSubnets = (spec: NodegroupSpec, outputs: StackOutputs): string[] => {
  const subnets = tierSubnets(outputs, spec.subnetTier);
  return spec.zoneSlots.flatMap((slot) => subnets[slot] ?? []);
};

const required = (outputs: StackOutputs, key: string): string => {
  const value = outputs[key];
  if (!value)
    throw new KartStreamError('not-found', `the network stack has no output ${key}`, {
      details: [`outputs there: ${Object.keys(outputs).join(', ') || 'none'}`],
      fix: 'apply the network stack first (npx kartstream promote apply); it creates the outputs',
    });
  return value;
};

// CreateCluster: control-plane ENIs in the public and private subnets of both AZs, API access
// from the internet and from inside the VPC, API authentication with the creator as admin.
export const createClusterInput = (
  spec: ClusterSpec,
  outputs: StackOutputs,
  names: PromoteNames,
): CreateClusterCommandInput => ({
  name: spec.name,
  version: spec.version,
  roleArn: required(outputs, 'ClusterRoleArn'),
  resourcesVpcConfig: {
    subnetIds: [...tierSubnets(outputs, 'public'), ...tierSubnets(outputs, 'private')],
    securityGroupIds: [required(outputs, 'ControlPlaneSecurityGroupId')],
    endpointPublicAccess: true,
    endpointPrivateAccess: true,
  },
  accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
  // Standard support only: a version in extended support would cost six times as much per hour.
  upgradePolicy: { supportType: 'STANDARD' },
  tags: names.tags,
});

// CreateNodegroup for one pool: all scaling fields set (moto shares a default dict otherwise).
export const createNodegroupInput = (
  spec: NodegroupSpec,
  outputs: StackOutputs,
  names: PromoteNames,
): CreateNodegroupCommandInput => ({
  clusterName: names.cluster,
  nodegroupName: spec.name,
  nodeRole: required(outputs, 'NodeRoleArn'),
  subnets: nodegroupSubnets(spec, outputs),
  instanceTypes: [spec.instanceType],
  amiType: spec.amiType,
  capacityType: 'ON_DEMAND',
  diskSize: 20,
  scalingConfig: { ...spec.scaling },
  labels: { ...spec.labels },
  taints: spec.taints.map((t) => ({ ...t })),
  updateConfig: { maxUnavailable: 1 },
  tags: { ...names.tags, 'kartstream:pool': spec.name },
});
