// `promote export`: the same lab as files other tools build from. `cloudformation` is the network
// stack plus the EKS cluster, node groups and add-ons as AWS::EKS::* resources (one template for
// `aws cloudformation deploy`); `eksctl` is a ClusterConfig for `eksctl create cluster -f`.
// Pure: no AWS call.
import { stringify } from 'yaml';
import type { Topology } from '../topology/schema.ts';
import { zoneName } from '../topology/zones.ts';
import { CORE_ADDONS, desiredCluster, desiredNodegroups, type NodegroupSpec } from './eks-spec.ts';
import type { NatMode, PromoteNames } from './names.ts';
import { tagList } from './names.ts';
import {
  renderNetworkStack,
  subnetLogicalId,
  VPC_CIDR,
  type CfnResource,
  type CfnTemplate,
  type SubnetTier,
} from './network-stack.ts';

export const EXPORT_FORMATS = ['cloudformation', 'eksctl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const pascal = (name: string) =>
  name
    .split(/[^a-zA-Z0-9]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

const tierRefs = (tier: SubnetTier, zones: readonly string[]) =>
  zones.map((zone) => ({ Ref: subnetLogicalId(tier, zone) }));

const K8S_EFFECT: Record<string, string> = {
  NO_SCHEDULE: 'NoSchedule',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
  NO_EXECUTE: 'NoExecute',
};

// The network template with the EKS resources added.
export const exportCloudFormation = (
  topology: Topology,
  names: PromoteNames,
  natMode: NatMode,
): CfnTemplate => {
  const template = renderNetworkStack(topology, { names, natMode });
  const cluster = desiredCluster(topology, names);
  const nodegroups = desiredNodegroups(topology);
  const resources: Record<string, CfnResource> = {
    Cluster: {
      Type: 'AWS::EKS::Cluster',
      Properties: {
        Name: cluster.name,
        Version: cluster.version,
        RoleArn: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] },
        ResourcesVpcConfig: {
          SubnetIds: [...tierRefs('public', topology.zones), ...tierRefs('private', topology.zones)],
          SecurityGroupIds: [{ Ref: 'ControlPlaneSecurityGroup' }],
          EndpointPublicAccess: true,
          EndpointPrivateAccess: true,
        },
        AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: true },
        UpgradePolicy: { SupportType: 'STANDARD' },
        Tags: tagList(names.tags),
      },
    },
  };
  for (const ng of nodegroups) {
    resources[`Nodegroup${pascal(ng.name)}`] = {
      Type: 'AWS::EKS::Nodegroup',
      // Private and data subnets reach the internet (image pulls) only through the NAT routes.
      DependsOn: Object.keys(template.Resources).filter((id) => /DefaultRoute/.test(id)),
      Properties: {
        ClusterName: { Ref: 'Cluster' },
        NodegroupName: ng.name,
        NodeRole: { 'Fn::GetAtt': ['NodeRole', 'Arn'] },
        Subnets: tierRefs(ng.subnetTier, ng.zones),
        InstanceTypes: [ng.instanceType],
        AmiType: ng.amiType,
        CapacityType: 'ON_DEMAND',
        DiskSize: 20,
        ScalingConfig: {
          MinSize: ng.scaling.minSize,
          MaxSize: ng.scaling.maxSize,
          DesiredSize: ng.scaling.desiredSize,
        },
        Labels: ng.labels,
        Taints: ng.taints.map((t) => ({ Key: t.key, Value: t.value, Effect: t.effect })),
        UpdateConfig: { MaxUnavailable: 1 },
        Tags: { ...names.tags, 'kartstream:pool': ng.name },
      },
    };
  }
  for (const addon of CORE_ADDONS) {
    resources[`Addon${pascal(addon.name)}`] = {
      Type: 'AWS::EKS::Addon',
      DependsOn: nodegroups.map((ng) => `Nodegroup${pascal(ng.name)}`),
      Properties: {
        AddonName: addon.name,
        ClusterName: { Ref: 'Cluster' },
        ResolveConflicts: 'OVERWRITE',
        ...(addon.configurationValues ? { ConfigurationValues: addon.configurationValues } : {}),
        Tags: tagList(names.tags),
      },
    };
  }
  return {
    ...template,
    Description: `KartStream lab ${names.lab}: network, IAM and EKS (rendered from infra/topology.yaml)`,
    Resources: { ...template.Resources, ...resources },
    Outputs: {
      ...template.Outputs,
      ClusterName: { Value: { Ref: 'Cluster' } },
      ClusterEndpoint: { Value: { 'Fn::GetAtt': ['Cluster', 'Endpoint'] } },
    },
  };
};

const eksctlNodegroup = (ng: NodegroupSpec, region: string, tags: Record<string, string>) => ({
  name: ng.name,
  availabilityZones: ng.zones.map((zone) => zoneName(region, zone)),
  instanceType: ng.instanceType,
  amiFamily: 'AmazonLinux2023',
  minSize: ng.scaling.minSize,
  maxSize: ng.scaling.maxSize,
  desiredCapacity: ng.scaling.desiredSize,
  volumeSize: 20,
  // eksctl's VPC has public and private subnets only: the data tier goes to the private ones.
  privateNetworking: ng.subnetTier !== 'public',
  labels: ng.labels,
  taints: ng.taints.map((t) => ({
    key: t.key,
    value: t.value,
    effect: K8S_EFFECT[t.effect] ?? 'NoSchedule',
  })),
  tags: { ...tags, 'kartstream:pool': ng.name },
});

// An eksctl ClusterConfig (eksctl.io/v1alpha5) for the same cluster, as YAML.
export const exportEksctl = (topology: Topology, names: PromoteNames, natMode: NatMode): string => {
  const cluster = desiredCluster(topology, names);
  const config = {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: cluster.name, region: names.region, version: cluster.version, tags: names.tags },
    availabilityZones: topology.zones.map((zone) => zoneName(names.region, zone)),
    vpc: {
      cidr: VPC_CIDR,
      nat: { gateway: natMode === 'per-az' ? 'HighlyAvailable' : 'Single' },
      clusterEndpoints: { publicAccess: true, privateAccess: true },
    },
    accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
    addons: CORE_ADDONS.map((a) => ({
      name: a.name,
      ...(a.configurationValues ? { configurationValues: a.configurationValues } : {}),
    })),
    managedNodeGroups: desiredNodegroups(topology).map((ng) => eksctlNodegroup(ng, names.region, names.tags)),
  };
  return [
    `# eksctl ClusterConfig for KartStream lab ${names.lab}, rendered from infra/topology.yaml.`,
    '# Create with: eksctl create cluster -f <this file>',
    "# eksctl builds its own VPC (public + private subnets): the database pool's data tier maps to",
    '# the private subnets, and there is no bastion (use `kartstream promote apply` for those).',
    stringify(config),
  ].join('\n');
};
