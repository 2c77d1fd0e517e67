// deleteAll: every HorizontalPodAutoscaler or PodDisruptionBudget in the shop's namespace is
// deleted. The shop ships none, so these are what a learner made; a rollback takes them away
// before restoreShop scales the Deployments back (an autoscaler would scale them up again).
import type { ActionHandler } from './action-handler.ts';

const API_VERSION = { HorizontalPodAutoscaler: 'autoscaling/v2', PodDisruptionBudget: 'policy/v1' } as const;

export const deleteAll: ActionHandler<'deleteAll'> = {
  run: async ({ clients, namespace }, { kind }) => {
    const apiVersion = API_VERSION[kind];
    const found = await clients.objects.list(apiVersion, kind, namespace);
    await Promise.all(
      found.items.map((o) =>
        clients.objects.delete({ apiVersion, kind, metadata: { name: o.metadata?.name ?? '', namespace } }),
      ),
    );
    const names = found.items.map((o) => o.metadata?.name ?? '');
    return names.length ? `deleted ${kind} ${names.join(', ')}` : `no ${kind} to delete`;
  },
};
