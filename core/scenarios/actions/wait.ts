// wait: the scenario pauses for a duration ("30s", "1m").
import { sleep } from '../../tasks/wait.ts';
import { durationMs } from '../scenario-types.ts';
import type { ActionHandler } from './action-handler.ts';

export const wait: ActionHandler<'wait'> = {
  run: async (_ctx, { for: duration }) => {
    await sleep(durationMs(duration));
    return `waited ${duration}`;
  },
};
