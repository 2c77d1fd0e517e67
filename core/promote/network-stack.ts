// Renders the lab's network and IAM as one CloudFormation template (plain JSON, no macros):
// a VPC over the topology's zones (one public, private and data subnet in each), internet
// gateway, NAT (one, or one per AZ), route tables, security groups, and the IAM roles and bastion
// from network-stack-iam.ts. Every resource carries the lab's tags. Pure: same input, same template.
import type { Topology } from '../topology/schema.ts';
import { tagList, type NatMode, type PromoteNames } from './names.ts';
import { iamResources, IAM_OUTPUTS } from './network-stack-iam.ts';

export type CfnValue = unknown;
export interface CfnResource {
  Type: string;
  Properties?: Record<string, CfnValue>;
  DependsOn?: string | string[];
}
export interface CfnTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Parameters?: Record<string, Record<string, CfnValue>>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Description?: string; Value: CfnValue }>;
}

export const SUBNET_TIERS = ['public', 'private', 'data'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
export const VPC_CIDR = '10.0.0.0/16';

const TIER_NAME: Record<SubnetTier, string> = { public: 'Public', private: 'Private', data: 'Data' };
// Non-overlapping CIDRs per tier and zone position (0-2): public /20s, private /19s (most pods), data /20s.
const subnetCidr = (tier: SubnetTier, az: number): string =>
  tier === 'public'
    ? `10.0.${az * 16}.0/20`
    : tier === 'private'
      ? `10.0.${64 + az * 32}.0/19`
      : `10.0.${160 + az * 16}.0/20`;

/** A subnet's logical id: its tier and its zone's letter (`PrivateSubnetB` for zone b). */
export const subnetLogicalId = (tier: SubnetTier, zone: string): string =>
  `${TIER_NAME[tier]}Subnet${zone.toUpperCase()}`;
/** The stack output that lists a tier's subnet ids, comma-separated. */
export const subnetOutput = (tier: SubnetTier): string => `${TIER_NAME[tier]}SubnetIds`;

export interface NetworkOptions {
  names: PromoteNames;
  natMode: NatMode;
  /** Zone names, one per zone of the topology (checked with EC2); absent: the stack's region plus the letter. */
  zones?: string[];
}

const ref = (id: string) => ({ Ref: id });

// The whole template: network, security groups, IAM and bastion, with outputs the EKS calls use.
export const renderNetworkStack = (topology: Topology, options: NetworkOptions): CfnTemplate => {
  const { names, natMode } = options;
  const tags = (suffix: string, extra: Record<string, string> = {}) =>
    tagList({ Name: `kartstream-${names.lab}-${suffix}`, ...names.tags, ...extra });
  const resources: Record<string, CfnResource> = {
    Vpc: {
      Type: 'AWS::EC2::VPC',
      Properties: {
        CidrBlock: VPC_CIDR,
        EnableDnsSupport: true,
        EnableDnsHostnames: true,
        Tags: tags('vpc'),
      },
    },
    InternetGateway: { Type: 'AWS::EC2::InternetGateway', Properties: { Tags: tags('igw') } },
    InternetGatewayAttachment: {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: { VpcId: ref('Vpc'), InternetGatewayId: ref('InternetGateway') },
    },
    PublicRouteTable: {
      Type: 'AWS::EC2::RouteTable',
      Properties: { VpcId: ref('Vpc'), Tags: tags('public', { 'kartstream:tier': 'public' }) },
    },
    PublicDefaultRoute: {
      Type: 'AWS::EC2::Route',
      DependsOn: 'InternetGatewayAttachment',
      Properties: {
        RouteTableId: ref('PublicRouteTable'),
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: ref('InternetGateway'),
      },
    },
  };

  for (const [az, zone] of topology.zones.entries()) {
    const letter = zone.toUpperCase();
    for (const tier of SUBNET_TIERS) {
      const id = subnetLogicalId(tier, zone);
      const elbRole: Record<string, string> =
        tier === 'public' ? { 'kubernetes.io/role/elb': '1' } : { 'kubernetes.io/role/internal-elb': '1' };
      resources[id] = {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: ref('Vpc'),
          CidrBlock: subnetCidr(tier, az),
          AvailabilityZone: options.zones?.[az] ?? { 'Fn::Sub': `\${AWS::Region}${zone}` },
          // Managed node groups in public subnets need public IPs to join the cluster.
          MapPublicIpOnLaunch: tier === 'public',
          Tags: tags(`${tier}-${letter.toLowerCase()}`, { 'kartstream:tier': tier, ...elbRole }),
        },
      };
      const table = tier === 'public' ? 'PublicRouteTable' : `${TIER_NAME[tier]}RouteTable${letter}`;
      resources[`${id}RouteTableAssociation`] = {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { SubnetId: ref(id), RouteTableId: ref(table) },
      };
    }
    // One NAT gateway in the first zone, or one per zone (a zone outage then keeps egress elsewhere).
    if (natMode === 'per-az' || az === 0) {
      resources[`NatEip${letter}`] = {
        Type: 'AWS::EC2::EIP',
        DependsOn: 'InternetGatewayAttachment',
        Properties: { Domain: 'vpc', Tags: tags(`nat-${letter.toLowerCase()}`) },
      };
      resources[`NatGateway${letter}`] = {
        Type: 'AWS::EC2::NatGateway',
        Properties: {
          AllocationId: { 'Fn::GetAtt': [`NatEip${letter}`, 'AllocationId'] },
          SubnetId: ref(subnetLogicalId('public', zone)),
          Tags: tags(`nat-${letter.toLowerCase()}`),
        },
      };
    }
    const nat =
      natMode === 'per-az' ? `NatGateway${letter}` : `NatGateway${(topology.zones[0] ?? 'a').toUpperCase()}`;
    for (const tier of ['private', 'data'] as const) {
      const table = `${TIER_NAME[tier]}RouteTable${letter}`;
      resources[table] = {
        Type: 'AWS::EC2::RouteTable',
        Properties: {
          VpcId: ref('Vpc'),
          Tags: tags(`${tier}-${letter.toLowerCase()}`, { 'kartstream:tier': tier }),
        },
      };
      // Data subnets keep a NAT route too: their nodes pull images (no VPC endpoints here).
      resources[`${TIER_NAME[tier]}DefaultRoute${letter}`] = {
        Type: 'AWS::EC2::Route',
        Properties: { RouteTableId: ref(table), DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ref(nat) },
      };
    }
  }

  resources.ControlPlaneSecurityGroup = {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: `kartstream lab ${names.lab}: extra security group of the EKS control plane (API from inside the VPC)`,
      VpcId: ref('Vpc'),
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: VPC_CIDR, Description: 'Kubernetes API' },
      ],
      Tags: tags('control-plane'),
    },
  };
  resources.BastionSecurityGroup = {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: `kartstream lab ${names.lab}: bastion, reached through SSM Session Manager (no inbound rules)`,
      VpcId: ref('Vpc'),
      SecurityGroupEgress: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          CidrIp: '0.0.0.0/0',
          Description: 'SSM and the API',
        },
      ],
      Tags: tags('bastion'),
    },
  };
  Object.assign(resources, iamResources(names, tags));

  const join = (tier: SubnetTier) => ({
    'Fn::Join': [',', topology.zones.map((zone) => ref(subnetLogicalId(tier, zone)))],
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `KartStream lab ${names.lab}: network and IAM for EKS (rendered from infra/topology.yaml)`,
    Parameters: {
      BastionImageId: {
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
        Description: 'Amazon Linux 2023 (has the SSM agent) for the bastion',
      },
    },
    Resources: resources,
    Outputs: {
      VpcId: { Value: ref('Vpc') },
      PublicSubnetIds: { Value: join('public') },
      PrivateSubnetIds: { Value: join('private') },
      DataSubnetIds: { Value: join('data') },
      ControlPlaneSecurityGroupId: { Value: ref('ControlPlaneSecurityGroup') },
      ...IAM_OUTPUTS,
    },
  };
};
