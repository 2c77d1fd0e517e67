// The real core server with a tRPC client over loopback HTTP and WebSocket, as the renderer talks
// to it, and the map as the renderer keeps it from the cluster watch.
import { createTRPCClient, createWSClient, httpLink, splitLink, wsLink } from '@trpc/client';
import { WebSocket } from 'ws';
import type { AppRouter } from '../../../core/contract/router.ts';
import type { ClusterMessage, NodeView, PodView } from '../../../core/contract/wire-types.ts';
import { startCoreServer } from '../../../core/server/http-server.ts';
import { createServices } from '../../../core/server/services/index.ts';
import { present, waitFor, wakeup } from '../../helpers/wait.ts';

export type CoreApi = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Starts the core server and a client of it; `close` stops both. */
export const startCoreClient = async (defaultLab: string, rendererDir: string) => {
  const created = createServices({ defaultLab, desktop: false });
  const server = await startCoreServer({ services: created.services, rendererDir });
  const base = `127.0.0.1:${server.port}/t/${server.token}`;
  const wsClient = createWSClient({
    url: `ws://${base}/ws`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const api: CoreApi = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpLink({ url: `http://${base}/trpc` }),
      }),
    ],
  });
  return {
    api,
    close: async () => {
      await wsClient.close();
      await server.close();
      await created.close();
    },
  };
};

/** The map of a lab as the renderer keeps it: the last reset with every delta applied. */
export const followCluster = (api: CoreApi, lab: string) => {
  const nodes = new Map<string, NodeView>();
  const pods = new Map<string, PodView>();
  const errors: unknown[] = [];
  const events = wakeup();
  const subscription = api.cluster.watch.subscribe(
    { lab },
    {
      onData: (message: ClusterMessage) => {
        if (message.type === 'reset') {
          nodes.clear();
          pods.clear();
          for (const n of message.nodes) nodes.set(n.name, n);
          for (const p of message.pods) pods.set(p.key, p);
        } else if (message.type === 'delta') {
          for (const n of message.nodes) nodes.set(n.name, n);
          for (const p of message.pods) pods.set(p.key, p);
          for (const n of message.deletedNodes) nodes.delete(n);
          for (const p of message.deletedPods) pods.delete(p);
        }
        events.wake();
      },
      onError: (error) => {
        errors.push(error);
        events.wake();
      },
    },
  );
  return {
    nodes,
    pods,
    errors,
    /** Waits until `check` gives a value, re-checking at each message (and every second). */
    until: <T>(what: string, check: () => T, timeoutMs = 120_000) =>
      waitFor(what, check, present, timeoutMs, { intervalMs: 1_000, wakeup: events }),
    stop: () => subscription.unsubscribe(),
  };
};
