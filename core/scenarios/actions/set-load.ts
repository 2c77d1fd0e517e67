// setLoad: the loadgenerator runs `users` simulated shoppers (its USERS; a new rollout of it). In
// sim the traffic model follows at its next step (docs/traffic.md); on kind Locust itself does.
import { strategicMergePatch } from '../../kube/patch-options.ts';
import type { ActionHandler } from './action-handler.ts';

const LOADGENERATOR = 'loadgenerator';

export const setLoad: ActionHandler<'setLoad'> = {
  run: async ({ clients, namespace }, { users }) => {
    const env = [{ name: 'USERS', value: String(users) }];
    await clients.apps.patchNamespacedDeployment(
      {
        name: LOADGENERATOR,
        namespace,
        body: { spec: { template: { spec: { containers: [{ name: 'main', env }] } } } },
      },
      strategicMergePatch,
    );
    return `the loadgenerator now runs ${users} users`;
  },
};
