// The lab's own kubeconfig: a copy of the cluster's admin kubeconfig whose one context is named
// after the lab and defaults to the shop's namespace, so plain kubectl commands act on the shop.
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { writePrivateFile } from '../home/private-files.ts';

interface KubeconfigFile {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts?: unknown[];
  'current-context'?: string;
}

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
  if (!cluster || !user) throw new Error(`kubeconfig ${source} has no cluster or user`);
  const id = `kartstream-${name}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: id, cluster: cluster.cluster }],
    users: [{ name: id, user: user.user }],
    contexts: [{ name: id, context: { cluster: id, user: id, namespace } }],
    'current-context': id,
  };
  await writePrivateFile(target, stringify(config));
};
