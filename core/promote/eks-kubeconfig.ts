// The promoted lab's private kubeconfig (0600, under KARTSTREAM_HOME/promote/<lab>): the cluster's
// endpoint and CA, and a bearer token from eks-token.ts. The token lasts 15 minutes;
// `kartstream promote kubeconfig` writes a fresh one.
import { stringify } from 'yaml';
import { writePrivateFile } from '../home/private-files.ts';
import { SHOP_NAMESPACE } from '../lab/lab-record.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { closeClients, type AwsClients } from './aws-clients.ts';
import { promoteContext, type PromoteOptions } from './context.ts';
import { observeCluster } from './observe.ts';
import { eksToken } from './eks-token.ts';
import { promoteKubeconfigPath, type PromoteNames } from './names.ts';

export interface ClusterAccess {
  endpoint: string;
  certificateAuthority?: string;
}

/**
 * A kubeconfig for a promoted cluster, named `kartstream-<name>`, whose user is either a token
 * (`promote kubeconfig`) or an exec credential plugin that mints one when needed (the `<lab>-eks`
 * lab). Pure.
 */
export const renderEksKubeconfig = (
  access: ClusterAccess,
  name: string,
  user: { token: string } | { exec: Record<string, unknown> },
) => {
  const id = `kartstream-${name}`;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: id,
        cluster: {
          server: access.endpoint,
          ...(access.certificateAuthority
            ? { 'certificate-authority-data': access.certificateAuthority }
            : {}),
        },
      },
    ],
    users: [{ name: id, user }],
    contexts: [{ name: id, context: { cluster: id, user: id, namespace: SHOP_NAMESPACE } }],
    'current-context': id,
  };
};

// Writes the kubeconfig with a fresh token; returns its path and when the token expires.
export const writeEksKubeconfig = async (
  clients: AwsClients,
  names: PromoteNames,
  access: ClusterAccess,
): Promise<{ path: string; expiresAt: Date }> => {
  const { token, expiresAt } = await eksToken({
    cluster: names.cluster,
    region: names.region,
    credentials: clients.credentials,
  });
  const path = promoteKubeconfigPath(names.lab);
  await writePrivateFile(path, stringify(renderEksKubeconfig(access, `eks-${names.lab}`, { token })));
  return { path, expiresAt };
};

// `promote kubeconfig`: a fresh token for a promoted lab's cluster; returns the path.
export const refreshEksKubeconfig = async (
  options: PromoteOptions,
): Promise<{ path: string; expiresAt: Date; cluster: string }> => {
  const ctx = await promoteContext(options);
  try {
    const cluster = await observeCluster(ctx.clients, ctx.names);
    if (!cluster?.endpoint)
      throw new KartStreamError(
        'not-found',
        `lab ${ctx.names.lab} has no EKS cluster in ${ctx.names.region}`,
        {
          fix: `run \`kartstream promote apply --name ${ctx.names.lab}\` first`,
        },
      );
    const written = await writeEksKubeconfig(ctx.clients, ctx.names, {
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
    });
    return { ...written, cluster: cluster.name };
  } finally {
    closeClients(ctx.clients);
  }
};
