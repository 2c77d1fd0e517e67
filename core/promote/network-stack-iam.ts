// The IAM part of the network stack: a cluster role, a node role and a bastion role, each with
// only the AWS managed policies it needs, and the bastion itself (reached through SSM Session
// Manager; its security group has no inbound rule, so no SSH is open to anyone).
import type { CfnResource } from './network-stack.ts';
import { IAM_PATH, type PromoteNames } from './names.ts';

const policy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** The AWS managed policies of each role, by logical id: the only permissions the lab grants. */
export const ROLE_POLICIES: Record<string, string[]> = {
  ClusterRole: [policy('AmazonEKSClusterPolicy')],
  NodeRole: [
    policy('AmazonEKSWorkerNodePolicy'),
    policy('AmazonEKS_CNI_Policy'),
    policy('AmazonEC2ContainerRegistryPullOnly'),
  ],
  BastionRole: [policy('AmazonSSMManagedInstanceCore')],
};

/** Who may assume each role. */
const TRUSTED_SERVICE: Record<string, string> = {
  ClusterRole: 'eks.amazonaws.com',
  NodeRole: 'ec2.amazonaws.com',
  BastionRole: 'ec2.amazonaws.com',
};

export const BASTION_INSTANCE_TYPE = 't3.micro';

/** Stack outputs of the IAM part; `<Role>Name` outputs let apply check the attached policies. */
export const IAM_OUTPUTS = {
  ClusterRoleArn: { Value: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] } },
  NodeRoleArn: { Value: { 'Fn::GetAtt': ['NodeRole', 'Arn'] } },
  ClusterRoleName: { Value: { Ref: 'ClusterRole' } },
  NodeRoleName: { Value: { Ref: 'NodeRole' } },
  BastionRoleName: { Value: { Ref: 'BastionRole' } },
  BastionInstanceId: { Value: { Ref: 'Bastion' } },
};

type Tags = (suffix: string, extra?: Record<string, string>) => { Key: string; Value: string }[];

// The roles, the bastion's instance profile and the bastion instance.
export const iamResources = (names: PromoteNames, tags: Tags): Record<string, CfnResource> => {
  const resources: Record<string, CfnResource> = {};
  for (const [id, policies] of Object.entries(ROLE_POLICIES)) {
    resources[id] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        Path: IAM_PATH,
        Description: `kartstream lab ${names.lab} (${names.region}): ${id}`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: TRUSTED_SERVICE[id] },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        ManagedPolicyArns: policies,
        Tags: tags(id.replace(/Role$/, '').toLowerCase()),
      },
    };
  }
  resources.BastionInstanceProfile = {
    Type: 'AWS::IAM::InstanceProfile',
    Properties: { Path: IAM_PATH, Roles: [{ Ref: 'BastionRole' }] },
  };
  resources.Bastion = {
    Type: 'AWS::EC2::Instance',
    DependsOn: 'PublicDefaultRoute',
    Properties: {
      ImageId: { Ref: 'BastionImageId' },
      InstanceType: BASTION_INSTANCE_TYPE,
      SubnetId: { Ref: 'PublicSubnetA' },
      SecurityGroupIds: [{ Ref: 'BastionSecurityGroup' }],
      IamInstanceProfile: { Ref: 'BastionInstanceProfile' },
      MetadataOptions: { HttpTokens: 'required' },
      Tags: tags('bastion'),
    },
  };
  return resources;
};
