// http: the shop answers a path with a status. Only backends that run containers have a shop to
// reach; none evaluates it yet, so it never holds.
import type { CheckHandler } from './check-handler.ts';

export const http: CheckHandler<'http'> = {
  cannotCheck: (backend) =>
    backend === 'sim' ? 'the sim backend runs no containers, so there is no shop to reach over HTTP' : undefined,
  evaluate: () => ({ ok: false, detail: 'not supported here' }),
};
