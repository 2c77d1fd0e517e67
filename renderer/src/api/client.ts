// The one typed API client. The page is served under /t/<token>/; the token is read from the
// page's own URL once and kept in memory (never stored). Queries and mutations go over HTTP,
// subscriptions over one WebSocket; both carry the token in their path.
import { createTRPCClient, createWSClient, httpLink, splitLink, wsLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../../core/contract/router.ts';
import type { WireError } from '../../../core/contract/wire-types.ts';

const match = /^\/t\/([^/]+)\//.exec(window.location.pathname);
/** The per-launch token (from the URL the server printed). */
export const token = match?.[1] ?? '';
/** http://127.0.0.1:PORT/t/<token>/ */
export const httpBase = `${window.location.origin}/t/${token}/`;
/** ws://127.0.0.1:PORT/t/<token>/<path> */
export const wsUrl = (path: string): string =>
  `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/t/${token}/${path}`;

const wsClient = createWSClient({ url: wsUrl('ws') });

export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink({ client: wsClient }),
      false: httpLink({ url: `${httpBase}trpc` }),
    }),
  ],
});

/** The error in words: what failed, and (when known) how to fix it and the fields at fault. */
export const wireErrorOf = (error: unknown): WireError => {
  if (error instanceof TRPCClientError) {
    const wire = (error.data as { wire?: WireError } | undefined)?.wire;
    if (wire) return wire;
    return { code: 'unreachable', message: error.message, details: [] };
  }
  return { code: 'unknown', message: error instanceof Error ? error.message : String(error), details: [] };
};
