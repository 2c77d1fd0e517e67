// Deletes what the stack's own delete left behind (a DELETE_FAILED stack on AWS, or an emulator
// that deletes only part of a stack): the lab's tagged EC2 and IAM resources, in dependency order.
// Only resources carrying the lab's tag (or under its IAM path) are touched.
import {
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeInternetGatewaysCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ReleaseAddressCommand,
  TerminateInstancesCommand,
  waitUntilInstanceTerminated,
  waitUntilNatGatewayDeleted,
} from '@aws-sdk/client-ec2';
import {
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  ListRolePoliciesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import type { TaskReporter } from '../tasks/task.ts';
import type { AwsClients } from './aws-clients.ts';
import { isNotFound } from './aws-errors.ts';
import { findLeftovers, type Leftover } from './leftovers.ts';
import { attachedPolicies } from './role-policies.ts';
import type { PromoteNames } from './names.ts';
import { waitFor } from './waiting.ts';

const EC2_WAIT = { maxWaitTime: 15 * 60, minDelay: 5, maxDelay: 15 };
const ORDER = [
  'AWS::EC2::Instance',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::VPC',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::Role',
];

type Deleter = (clients: AwsClients, id: string, task: TaskReporter) => Promise<void>;

const DELETERS: Record<string, Deleter> = {
  'AWS::EC2::Instance': async ({ ec2 }, id, task) => {
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitFor(`instance ${id} to terminate`, task, EC2_WAIT, (c) =>
      waitUntilInstanceTerminated({ client: ec2, ...c }, { InstanceIds: [id] }),
    );
  },
  // A NAT gateway's address is released with it (on moto that address carries no tags).
  'AWS::EC2::NatGateway': async ({ ec2 }, id, task) => {
    const nat = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }));
    const allocations = (nat.NatGateways?.[0]?.NatGatewayAddresses ?? []).flatMap(
      (a) => a.AllocationId ?? [],
    );
    await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: id }));
    await waitFor(`NAT gateway ${id} to be deleted`, task, EC2_WAIT, (c) =>
      waitUntilNatGatewayDeleted({ client: ec2, ...c }, { NatGatewayIds: [id] }),
    );
    for (const AllocationId of allocations)
      await ec2.send(new ReleaseAddressCommand({ AllocationId })).catch(() => undefined);
  },
  'AWS::EC2::EIP': async ({ ec2 }, id) => {
    await ec2.send(new ReleaseAddressCommand({ AllocationId: id }));
  },
  'AWS::EC2::InternetGateway': async ({ ec2 }, id) => {
    const gw = await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }));
    for (const a of gw.InternetGateways?.[0]?.Attachments ?? [])
      if (a.VpcId)
        await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: a.VpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id }));
  },
  'AWS::EC2::RouteTable': async ({ ec2 }, id) => {
    const rt = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }));
    for (const a of rt.RouteTables?.[0]?.Associations ?? [])
      if (!a.Main && a.RouteTableAssociationId)
        await ec2.send(new DisassociateRouteTableCommand({ AssociationId: a.RouteTableAssociationId }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: id }));
  },
  'AWS::EC2::Subnet': ({ ec2 }, id) =>
    ec2.send(new DeleteSubnetCommand({ SubnetId: id })).then(() => undefined),
  'AWS::EC2::SecurityGroup': ({ ec2 }, id) =>
    ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })).then(() => undefined),
  'AWS::EC2::VPC': ({ ec2 }, id) => ec2.send(new DeleteVpcCommand({ VpcId: id })).then(() => undefined),
  'AWS::IAM::InstanceProfile': async ({ iam }, id) => {
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: id }));
    for (const role of profile.InstanceProfile?.Roles ?? [])
      await iam.send(
        new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: id, RoleName: role.RoleName }),
      );
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: id }));
  },
  'AWS::IAM::Role': async (clients, id) => {
    const { iam } = clients;
    for (const PolicyArn of await attachedPolicies(clients, id))
      await iam.send(new DetachRolePolicyCommand({ RoleName: id, PolicyArn }));
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: id }));
    for (const PolicyName of inline.PolicyNames ?? [])
      await iam.send(new DeleteRolePolicyCommand({ RoleName: id, PolicyName }));
    await iam.send(new DeleteRoleCommand({ RoleName: id }));
  },
};

export interface SweepResult {
  deleted: Leftover[];
  failed: { leftover: Leftover; error: string }[];
}

// Deletes the lab's tagged leftovers, dependents first; keeps going past a failure.
export const sweepLeftovers = async (
  clients: AwsClients,
  names: PromoteNames,
  task: TaskReporter,
): Promise<SweepResult> => {
  const leftovers = (await findLeftovers(clients, names)).filter((l) => DELETERS[l.type]);
  leftovers.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  const result: SweepResult = { deleted: [], failed: [] };
  for (const [i, leftover] of leftovers.entries()) {
    task.progress(i / Math.max(leftovers.length, 1), `deleting ${leftover.type} ${leftover.id}`);
    try {
      await DELETERS[leftover.type]?.(clients, leftover.id, task);
      result.deleted.push(leftover);
      task.log(`deleted the leftover ${leftover.type} ${leftover.id}`);
    } catch (error) {
      if (isNotFound(error) || /NotFound/.test((error as Error).name)) continue;
      const text = `${(error as Error).name}: ${(error as Error).message}`;
      result.failed.push({ leftover, error: text });
      task.log(`could not delete ${leftover.type} ${leftover.id}: ${text}`);
    }
  }
  return result;
};
