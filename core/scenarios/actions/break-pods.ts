// breakPods: a Deployment's pods crash-loop, stay not-ready or fail, the way the backend can.
import type { PodFault } from '../../backends/cluster-backend.ts';
import type { ActionArgs, ActionHandler } from './action-handler.ts';

const faultOf = (mode: ActionArgs<'breakPods'>['mode']): PodFault => (mode === 'notready' ? 'not-ready' : mode);

export const breakPods: ActionHandler<'breakPods'> = {
  cannotRun: ({ mode }, capabilities, backend) =>
    capabilities.breakPods.includes(faultOf(mode))
      ? undefined
      : `${backend} cannot break pods the "${mode}" way${
          capabilities.unsupported[`breakPods:${faultOf(mode)}`]
            ? `: ${capabilities.unsupported[`breakPods:${faultOf(mode)}`]}`
            : ''
        }`,
  run: async ({ backend, lab, namespace }, { deployment, mode }) => {
    const n = await backend.breakPods(lab, namespace, `app=${deployment}`, faultOf(mode));
    return `broke ${n} pod(s) of ${deployment} (${mode})`;
  },
};
