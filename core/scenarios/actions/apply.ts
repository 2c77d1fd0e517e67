// apply: a manifest file next to the scenario is server-side applied to the shop's namespace.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadYaml, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { serverSideApply } from '../../kube/server-side-apply.ts';
import type { ActionHandler } from './action-handler.ts';

// The objects of a manifest file (relative to the scenario's directory), in `namespace` unless
// they name their own; also what `delete` removes. Each is turned into the client's model type
// first: its serializer knows fields by their model names, and drops a NetworkPolicy's `from`
// (`_from` in the model) when given the plain object.
export const manifestObjects = async (
  scenarioDir: string,
  file: string,
  namespace: string,
): Promise<{ path: string; objects: KubernetesObject[] }> => {
  const path = resolve(scenarioDir, file);
  const objects = parseAllDocuments(await readFile(path, 'utf8'))
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null)
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } }))
    .map((o) => loadYaml<KubernetesObject>(JSON.stringify(o)));
  return { path, objects };
};

export const apply: ActionHandler<'apply'> = {
  run: async ({ clients, namespace, scenarioDir }, args) => {
    const { path, objects } = await manifestObjects(scenarioDir, args.file, namespace);
    await serverSideApply(clients, objects);
    return `applied ${path}`;
  },
};
