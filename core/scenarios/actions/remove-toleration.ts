// removeToleration: a Deployment loses its pool toleration, so its pods no longer fit their pool.
import { jsonPatch } from '../../kube/patch-options.ts';
import type { ActionHandler } from './action-handler.ts';

export const removeToleration: ActionHandler<'removeToleration'> = {
  run: async ({ clients, namespace }, { deployment: name }) => {
    const current = await clients.apps.readNamespacedDeployment({ name, namespace });
    const kept = (current.spec?.template.spec?.tolerations ?? []).filter((t) => t.key !== 'pool');
    await clients.apps.patchNamespacedDeployment(
      { name, namespace, body: [{ op: 'replace', path: '/spec/template/spec/tolerations', value: kept }] },
      jsonPatch,
    );
    return `removed the pool toleration of ${name}`;
  },
};
