// setUsage: simulated CPU/memory usage of a Deployment's pods. No backend has it yet, so every
// backend refuses it before a run starts.
import { KartStreamError } from '../../errors/kartstream-error.ts';
import type { ActionHandler } from './action-handler.ts';

export const setUsage: ActionHandler<'setUsage'> = {
  cannotRun: (_args, _capabilities, backend) =>
    `simulated CPU/memory usage (setUsage) is not available on ${backend} yet`,
  run: () => Promise.reject(new KartStreamError('invalid-input', 'cannot run action setUsage here')),
};
