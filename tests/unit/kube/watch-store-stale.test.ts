// A watch that cannot be restarted leaves the store stale, and says so with the reason, until a
// restart works. Against a tiny HTTP server that answers lists and watches like an API server and
// can be told to refuse them.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeClients } from '../../../core/kube/kube-client.ts';
import { WatchStore } from '../../../core/kube/watch-store.ts';
import { startFakeApiServer, STORE_LISTS, type FakeApiServer } from '../../helpers/fake-api-server.ts';

let api: FakeApiServer;
let refusing = false;
const watches = new Set<ServerResponse>();

beforeAll(async () => {
  api = await startFakeApiServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const kind = STORE_LISTS[url.pathname];
    if (refusing || !kind) {
      res.writeHead(refusing ? 403 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403 }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (url.searchParams.get('watch') === 'true') {
      watches.add(res);
      res.on('close', () => watches.delete(res));
      res.flushHeaders();
      return;
    }
    res.end(JSON.stringify({ kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }));
  });
});

afterAll(() => api.close());

const until = async (what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('WatchStore', () => {
  it('is stale, with the reason, while its dropped watches cannot be restarted, and current once they can', async () => {
    const store = new WatchStore(kubeClients(api.kubeconfig));
    const changes: (string | undefined)[] = [];
    store.onStaleChange((reason) => changes.push(reason));
    try {
      await store.start();
      await until('four watches', () => watches.size === 4);
      expect(store.stale()).toBeUndefined();

      refusing = true;
      for (const res of watches) res.destroy();
      await until('a stale store', () => store.stale() !== undefined);
      expect(store.stale()).toMatch(/watch(es)? could not be restarted .*out of date/);
      expect(changes.at(-1)).toBe(store.stale());

      refusing = false;
      await until('a current store', () => store.stale() === undefined);
      expect(changes.at(-1)).toBeUndefined();
    } finally {
      await store.stop();
    }
  }, 30_000);
});
