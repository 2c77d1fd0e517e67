// httpFails: shoppers see an error on a page: the frontend answers it with an error status (4xx or
// 5xx), or not within the time box (a hung dependency). Asked as the http check asks. The frontend
// itself must be reachable: a missing Service or port-forward is not the shop failing.
import { askFrontend } from './http.ts';
import type { CheckHandler } from './check-handler.ts';

export const httpFails: CheckHandler<'httpFails'> = {
  polled: true,
  evaluate: async (ctx, { path, method = 'GET' }) => {
    const answer = await askFrontend(ctx, path, method);
    if (answer.detail.startsWith('cannot reach the frontend')) return { ok: false, detail: answer.detail };
    return { ok: answer.status === undefined || answer.status >= 400, detail: answer.detail };
  },
};
