// scaleDeployment: a Deployment of the shop gets `replicas` replicas.
import { mergePatch } from '../../kube/patch-options.ts';
import type { ActionHandler } from './action-handler.ts';

export const scaleDeployment: ActionHandler<'scaleDeployment'> = {
  run: async ({ clients, namespace }, { name, replicas }) => {
    await clients.apps.patchNamespacedDeploymentScale(
      { name, namespace, body: { spec: { replicas } } },
      mergePatch,
    );
    return `deployment ${name} scaled to ${replicas}`;
  },
};
