// `tasks.*`: the server's tasks (lab create/delete/reset, pool scale, promote, scenarios) with
// their steps, progress, cancel and kept log, straight from the shared task registry.
import type { KartStreamServices } from '../../contract/services.ts';
import type { ServiceContext } from './service-context.ts';

export const createTasksService = ({ tasks }: ServiceContext): KartStreamServices['tasks'] => ({
  list: async () => tasks.list(),
  get: async (id) => tasks.get(id),
  cancel: async (id) => tasks.cancel(id),
  watch: (id, signal) => tasks.watch(id, signal),
});
