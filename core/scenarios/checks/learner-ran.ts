// learnerRan: the learner ran a command matching a pattern in the lab's shell during the step.
import { readCommands } from '../run-files.ts';
import type { CheckHandler } from './check-handler.ts';

export const learnerRan: CheckHandler<'learnerRan'> = {
  evaluate: async (ctx, { pattern }, since) => {
    const matcher = new RegExp(pattern);
    const ran = (await readCommands(ctx.lab.name)).some(
      (c) => new Date(c.at) >= since && matcher.test(c.command),
    );
    return { ok: ran, detail: ran ? 'ran' : 'not yet' };
  },
};
