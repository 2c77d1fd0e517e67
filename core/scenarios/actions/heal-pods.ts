// healPods: broken pods (of one Deployment, or all) are replaced by healthy ones.
import type { ActionHandler } from './action-handler.ts';

export const healPods: ActionHandler<'healPods'> = {
  run: async ({ backend, lab, namespace }, { deployment }) => {
    const selector = deployment ? `app=${deployment}` : '';
    return `replaced ${await backend.healPods(lab, namespace, selector)} broken pod(s)`;
  },
};
