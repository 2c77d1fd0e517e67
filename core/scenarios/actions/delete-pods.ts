// deletePods: the shop's pods that match a label selector are deleted (their owners replace them).
import type { ActionHandler } from './action-handler.ts';

export const deletePods: ActionHandler<'deletePods'> = {
  run: async ({ clients, namespace }, { selector }) => {
    const pods = await clients.core.listNamespacedPod({ namespace, labelSelector: selector });
    await Promise.all(
      pods.items.map((p) => clients.core.deleteNamespacedPod({ name: p.metadata?.name ?? '', namespace })),
    );
    return `deleted ${pods.items.length} pod(s) matching ${selector}`;
  },
};
