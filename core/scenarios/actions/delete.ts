// delete: the objects of a manifest file (read as apply reads it) are deleted, as
// `kubectl delete -f FILE --ignore-not-found` would; a rollback's way to take back an apply.
import { apiStatus } from '../../kube/kube-client.ts';
import { manifestObjects } from './apply.ts';
import type { ActionHandler } from './action-handler.ts';

export const deleteObjects: ActionHandler<'delete'> = {
  run: async ({ clients, namespace, scenarioDir }, args) => {
    const { path, objects } = await manifestObjects(scenarioDir, args.file, namespace);
    const gone = await Promise.all(
      objects.map(async (o) => {
        try {
          await clients.objects.delete(o);
          return true;
        } catch (error) {
          if (apiStatus(error) === 404) return false;
          throw error;
        }
      }),
    );
    return `deleted ${gone.filter(Boolean).length} of the ${objects.length} objects of ${path}`;
  },
};
