// patch: a Deployment, Service or Node is patched (merge, strategic or JSON patch).
import { patchOptions } from '../../kube/patch-options.ts';
import type { ActionHandler } from './action-handler.ts';

export const patch: ActionHandler<'patch'> = {
  run: async ({ clients, namespace }, { kind, name, type = 'merge', patch: body }) => {
    const options = patchOptions[type];
    if (kind === 'Deployment')
      await clients.apps.patchNamespacedDeployment({ name, namespace, body: body as object }, options);
    else if (kind === 'Service')
      await clients.core.patchNamespacedService({ name, namespace, body: body as object }, options);
    else await clients.core.patchNode({ name, body: body as object }, options);
    return `patched ${kind}/${name}`;
  },
};
