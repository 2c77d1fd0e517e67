// Everything on AWS that carries a lab's tag (or, for IAM, sits under the lab's path with its
// tags): what destroy must leave at zero, and what it lists when it cannot.
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Filter,
} from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { ListInstanceProfilesCommand, ListRolesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from './aws-clients.ts';
import { aws, awsFailure, isNotFound } from './aws-errors.ts';
import { IAM_PATH, LAB_TAG, REGION_TAG, type PromoteNames } from './names.ts';

export interface Leftover {
  type: string;
  id: string;
  detail?: string;
}

const labFilter = (names: PromoteNames): Filter[] => [{ Name: `tag:${LAB_TAG}`, Values: [names.lab] }];

type Tagged = { Tags?: { Key?: string; Value?: string }[] };
// The filter is the fast path; the tags are checked here too (moto ignores it for NAT gateways).
const labOf = (names: PromoteNames) => (r: Tagged) =>
  (r.Tags ?? []).some((t) => t.Key === LAB_TAG && t.Value === names.lab);

// EC2 resources with the lab's tag (terminated instances and deleted NAT gateways do not count).
export const taggedEc2 = async (clients: AwsClients, names: PromoteNames): Promise<Leftover[]> => {
  const Filters = labFilter(names);
  const { ec2 } = clients;
  const [instances, nats, addresses, igws, tables, subnets, groups, vpcs] = await Promise.all([
    aws('list instances', () => ec2.send(new DescribeInstancesCommand({ Filters }))),
    aws('list NAT gateways', () => ec2.send(new DescribeNatGatewaysCommand({ Filter: Filters }))),
    aws('list addresses', () => ec2.send(new DescribeAddressesCommand({ Filters }))),
    aws('list internet gateways', () => ec2.send(new DescribeInternetGatewaysCommand({ Filters }))),
    aws('list route tables', () => ec2.send(new DescribeRouteTablesCommand({ Filters }))),
    aws('list subnets', () => ec2.send(new DescribeSubnetsCommand({ Filters }))),
    aws('list security groups', () => ec2.send(new DescribeSecurityGroupsCommand({ Filters }))),
    aws('list VPCs', () => ec2.send(new DescribeVpcsCommand({ Filters }))),
  ]);
  const ours = labOf(names);
  return [
    ...(instances.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .filter((i) => ours(i) && i.State?.Name !== 'terminated')
      .map((i) => ({ type: 'AWS::EC2::Instance', id: i.InstanceId ?? '', detail: i.State?.Name })),
    ...(nats.NatGateways ?? [])
      .filter((n) => ours(n) && n.State !== 'deleted')
      .map((n) => ({ type: 'AWS::EC2::NatGateway', id: n.NatGatewayId ?? '', detail: n.State })),
    ...(addresses.Addresses ?? []).filter(ours).map((a) => ({
      type: 'AWS::EC2::EIP',
      id: a.AllocationId ?? a.PublicIp ?? '',
    })),
    ...(igws.InternetGateways ?? []).filter(ours).map((g) => ({
      type: 'AWS::EC2::InternetGateway',
      id: g.InternetGatewayId ?? '',
    })),
    ...(tables.RouteTables ?? [])
      .filter(ours)
      .map((t) => ({ type: 'AWS::EC2::RouteTable', id: t.RouteTableId ?? '' })),
    ...(subnets.Subnets ?? []).filter(ours).map((s) => ({ type: 'AWS::EC2::Subnet', id: s.SubnetId ?? '' })),
    ...(groups.SecurityGroups ?? [])
      .filter(ours)
      .map((g) => ({ type: 'AWS::EC2::SecurityGroup', id: g.GroupId ?? '' })),
    ...(vpcs.Vpcs ?? []).filter(ours).map((v) => ({ type: 'AWS::EC2::VPC', id: v.VpcId ?? '' })),
  ];
};

// The lab's IAM roles (under IAM_PATH, tagged with the lab and region) and instance profiles.
export const taggedIam = async (clients: AwsClients, names: PromoteNames): Promise<Leftover[]> => {
  const roles = await aws('list roles', () =>
    clients.iam.send(new ListRolesCommand({ PathPrefix: IAM_PATH })),
  );
  const ours: Leftover[] = [];
  for (const role of roles.Roles ?? []) {
    const tags = await aws(`read the tags of role ${role.RoleName}`, () =>
      clients.iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName })),
    ).catch((error) => {
      if (isNotFound(error)) return { Tags: [] };
      throw error;
    });
    const map = Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key, t.Value]));
    if (map[LAB_TAG] === names.lab && (map[REGION_TAG] ?? names.region) === names.region)
      ours.push({ type: 'AWS::IAM::Role', id: role.RoleName ?? '' });
  }
  const profiles = await aws('list instance profiles', () =>
    clients.iam.send(new ListInstanceProfilesCommand({ PathPrefix: IAM_PATH })),
  );
  for (const profile of profiles.InstanceProfiles ?? []) {
    const mine =
      (profile.InstanceProfileName ?? '').startsWith(`${names.stack}-`) ||
      (profile.Roles ?? []).some((r) => ours.some((o) => o.id === r.RoleName));
    if (mine) ours.push({ type: 'AWS::IAM::InstanceProfile', id: profile.InstanceProfileName ?? '' });
  }
  return ours;
};

// EKS clusters tagged with the lab, and the lab's stack.
export const taggedEksAndStack = async (clients: AwsClients, names: PromoteNames): Promise<Leftover[]> => {
  const found: Leftover[] = [];
  const clusters = await aws('list clusters', () => clients.eks.send(new ListClustersCommand({})));
  for (const name of clusters.clusters ?? []) {
    // A cluster deleted since the list is no leftover; any other failure is not "no leftover".
    const c = await clients.eks.send(new DescribeClusterCommand({ name })).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw awsFailure(`describe the EKS cluster ${name}`, error, clients);
    });
    if (c?.cluster?.tags?.[LAB_TAG] === names.lab)
      found.push({ type: 'AWS::EKS::Cluster', id: name, detail: c.cluster.status });
  }
  const stacks = await clients.cfn
    .send(new DescribeStacksCommand({ StackName: names.stack }))
    .catch((error) => {
      if (isNotFound(error)) return { Stacks: [] };
      throw error;
    });
  for (const s of stacks.Stacks ?? [])
    if (s.StackStatus !== 'DELETE_COMPLETE')
      found.push({
        type: 'AWS::CloudFormation::Stack',
        id: s.StackName ?? names.stack,
        detail: s.StackStatus,
      });
  return found;
};

// Everything of the lab that still exists.
export const findLeftovers = async (clients: AwsClients, names: PromoteNames): Promise<Leftover[]> => {
  const [eks, ec2, iam] = await Promise.all([
    taggedEksAndStack(clients, names),
    taggedEc2(clients, names),
    taggedIam(clients, names),
  ]);
  return [...eks, ...ec2, ...iam];
};
