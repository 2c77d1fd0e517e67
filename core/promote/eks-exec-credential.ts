// The promoted lab's credentials, minted on demand: its kubeconfig holds no token but an exec
// credential plugin (as `aws eks update-kubeconfig` writes one) that runs this checkout's CLI,
// `kartstream promote token`, which signs a fresh EKS token with the caller's AWS credentials.
// kubectl and client-node run it again when the token's expirationTimestamp has passed, so the
// lab never holds a stale token, and no AWS CLI is needed.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { CLI_ENTRY } from '../exec/cli-shim.ts';
import { endpointOverride } from './aws-clients.ts';
import { eksToken } from './eks-token.ts';
import type { PromoteNames } from './names.ts';

export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/** users[].user.exec of the promoted lab's kubeconfig: this Node runs this checkout's CLI. */
export const tokenPlugin = (names: PromoteNames, profile?: string) => ({
  apiVersion: EXEC_API_VERSION,
  command: process.execPath,
  args: [
    CLI_ENTRY,
    'promote',
    'token',
    '--name',
    names.lab,
    '--region',
    names.region,
    ...(profile ? ['--profile', profile] : []),
  ],
  // Electron runs the CLI as plain Node only when asked to.
  ...(process.versions.electron ? { env: [{ name: 'ELECTRON_RUN_AS_NODE', value: '1' }] } : {}),
  interactiveMode: 'Never',
  provideClusterInfo: false,
});

/** The ExecCredential `promote token` prints: a token for the cluster, and when it expires. */
export const execCredential = async (names: PromoteNames, profile?: string) => {
  const endpoint = endpointOverride();
  // Only the credential chain: the token is signed locally, no AWS service is called for it.
  const credentials = fromNodeProviderChain({
    profile,
    clientConfig: { region: names.region, ...(endpoint ? { endpoint } : {}) },
  });
  const { token, expiresAt } = await eksToken({ cluster: names.cluster, region: names.region, credentials });
  return {
    apiVersion: EXEC_API_VERSION,
    kind: 'ExecCredential',
    spec: {},
    status: { token, expirationTimestamp: expiresAt.toISOString() },
  };
};
