// One set of AWS SDK v3 clients for a region, with credentials from the SDK's default chain
// (environment, shared config and credentials files, SSO, process, container and instance roles)
// and, when AWS_ENDPOINT_URL is set, every client pointed at that endpoint (tests use moto).
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;

export interface AwsTarget {
  region: string;
  /** A named profile of the shared config files; the default chain's choice when absent. */
  profile?: string;
}

export interface AwsClients {
  region: string;
  profile?: string;
  /** The endpoint every client talks to when overridden (AWS_ENDPOINT_URL), e.g. moto. */
  endpoint?: string;
  credentials: CredentialProvider;
  sts: STSClient;
  ec2: EC2Client;
  iam: IAMClient;
  eks: EKSClient;
  cfn: CloudFormationClient;
}

// The endpoint override from the environment, if any.
export const endpointOverride = (): string | undefined => process.env.AWS_ENDPOINT_URL?.trim() || undefined;

// Clients for one region; nothing is called until a command is sent.
export const awsClients = (target: AwsTarget): AwsClients => {
  // The pinned SDK supports Node 20; its warning is about releases after January 2027.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = endpointOverride();
  const credentials = fromNodeProviderChain({
    profile: target.profile,
    clientConfig: { region: target.region, ...(endpoint ? { endpoint } : {}) },
  });
  const config = {
    region: target.region,
    credentials,
    maxAttempts: 4,
    ...(endpoint ? { endpoint } : {}),
  };
  return {
    region: target.region,
    profile: target.profile,
    endpoint,
    credentials,
    sts: new STSClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    eks: new EKSClient(config),
    cfn: new CloudFormationClient(config),
  };
};

// Closes the clients' sockets so a CLI run can exit promptly.
export const closeClients = (clients: AwsClients): void => {
  for (const client of [clients.sts, clients.ec2, clients.iam, clients.eks, clients.cfn]) client.destroy();
};
