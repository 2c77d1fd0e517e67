// apply: a manifest file next to the scenario is server-side applied to the shop's namespace.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { serverSideApply } from '../../kube/server-side-apply.ts';
import type { ActionHandler } from './action-handler.ts';

export const apply: ActionHandler<'apply'> = {
  run: async ({ clients, namespace, scenarioDir }, args) => {
    const file = resolve(scenarioDir, args.file);
    const objects = parseAllDocuments(await readFile(file, 'utf8'))
      .map((d) => d.toJS() as KubernetesObject | null)
      .filter((o): o is KubernetesObject => o !== null)
      .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } }));
    await serverSideApply(clients, objects);
    return `applied ${file}`;
  },
};
