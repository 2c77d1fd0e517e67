// The lab's own kubeconfig: a copy of the cluster's admin kubeconfig whose one context is named
// after the lab and defaults to the shop's namespace, so plain kubectl commands act on the shop.
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { writePrivateFile } from '../home/private-files.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';

interface KubeconfigFile {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts?: unknown[];
  'current-context'?: string;
}

// File references become inline data, so the kubeconfig stands alone (and can be copied).
const inline = async (
  entry: Record<string, unknown>,
  fields: [string, string][],
): Promise<Record<string, unknown>> => {
  const out = { ...entry };
  for (const [fileKey, dataKey] of fields) {
    const file = out[fileKey];
    if (typeof file !== 'string') continue;
    out[dataKey] = (await readFile(file)).toString('base64');
    delete out[fileKey];
  }
  return out;
};

// Rewrites `source` into a private kubeconfig at `target` for the lab `name`.
export const writeLabKubeconfig = async (
  source: string,
  target: string,
  name: string,
  namespace: string,
): Promise<void> => {
  const original = parse(await readFile(source, 'utf8')) as KubeconfigFile;
  const cluster = original.clusters[0];
  const user = original.users[0];
  if (!cluster || !user)
    throw new KartStreamError('cluster-failed', `kubeconfig ${source} has no cluster or user`, {
      fix: 'delete the lab and create it again (npx kartstream down, then npx kartstream up)',
    });
  const id = `kartstream-${name}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: id,
        cluster: await inline(cluster.cluster, [['certificate-authority', 'certificate-authority-data']]),
      },
    ],
    users: [
      {
        name: id,
        user: await inline(user.user, [
          ['client-certificate', 'client-certificate-data'],
          ['client-key', 'client-key-data'],
        ]),
      },
    ],
    contexts: [{ name: id, context: { cluster: id, user: id, namespace } }],
    'current-context': id,
  };
  await writePrivateFile(target, stringify(config));
};
