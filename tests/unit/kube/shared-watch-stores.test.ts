// The server's readers of a lab (the map, usage figures, scenario and game-day runs) share one
// watch store: listed once, events only once someone needs them, kept a little after the last
// reader leaves, and rebuilt after a discard. Against a tiny HTTP server that answers lists and
// watches like an API server and counts the lists.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SharedWatchStores } from '../../../core/kube/shared-watch-stores.ts';
import { startFakeApiServer, STORE_LISTS, type FakeApiServer } from '../../helpers/fake-api-server.ts';
import { waitFor } from '../../helpers/wait.ts';

let api: FakeApiServer;
let kubeconfig = '';
let refusing = false;
const lists = new Map<string, number>();
const listed = (path: string) => lists.get(path) ?? 0;

beforeAll(async () => {
  api = await startFakeApiServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const kind = STORE_LISTS[url.pathname];
    if (refusing || !kind) {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403 }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (url.searchParams.get('watch') === 'true') {
      res.flushHeaders(); // held open: no changes
      return;
    }
    lists.set(url.pathname, listed(url.pathname) + 1);
    const items =
      kind === 'PodList'
        ? [{ metadata: { name: 'cart-1', namespace: 'shop', managedFields: [{ manager: 'x' }] } }]
        : [];
    res.end(JSON.stringify({ kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items }));
  });
  kubeconfig = api.kubeconfig;
});

afterEach(() => {
  lists.clear();
  refusing = false;
});

afterAll(() => api.close());

describe('SharedWatchStores', () => {
  it('lists a lab once for every reader, and events only once a reader needs them', async () => {
    const stores = new SharedWatchStores();
    try {
      const map = stores.lease(kubeconfig, { events: false });
      const usage = stores.lease(kubeconfig, { events: false });
      await Promise.all([map.start(), usage.start()]);
      expect(usage.store).toBe(map.store);
      expect(listed('/api/v1/pods')).toBe(1);
      expect(listed('/api/v1/events')).toBe(0);
      expect(() => map.store.events()).toThrow(/events: false/);
      expect(map.store.pods().map((p) => p.metadata?.name)).toEqual(['cart-1']);
      // Slimmed as every store's objects are.
      expect(map.store.pods()[0]?.metadata?.managedFields).toBeUndefined();

      const run = stores.lease(kubeconfig);
      await run.start();
      expect(run.store).toBe(map.store);
      expect(listed('/api/v1/pods')).toBe(1);
      expect(listed('/api/v1/events')).toBe(1);
      expect(run.store.events()).toEqual([]);
      expect(stores.size).toBe(1);
    } finally {
      await stores.close();
    }
  });

  it('keeps a store nobody holds for its linger time, hands it out again meanwhile, then stops it', async () => {
    const stores = new SharedWatchStores(300);
    try {
      const first = stores.lease(kubeconfig, { events: false });
      await first.start();
      await first.release();
      await first.release(); // a second release does not take another reader's hold
      const again = stores.lease(kubeconfig, { events: false });
      await again.start();
      expect(again.store).toBe(first.store);
      expect(listed('/api/v1/pods')).toBe(1);
      await again.release();
      await waitFor(
        'the lingering store to stop',
        () => stores.size,
        (n) => n === 0,
        5_000,
      );
      const later = stores.lease(kubeconfig, { events: false });
      await later.start();
      expect(later.store).not.toBe(first.store);
      expect(listed('/api/v1/pods')).toBe(2);
      await later.release();
    } finally {
      await stores.close();
    }
  });

  it('after a discard, the next reader gets a new store while the current holders keep theirs', async () => {
    const stores = new SharedWatchStores();
    try {
      const map = stores.lease(kubeconfig, { events: false });
      const run = stores.lease(kubeconfig, { events: false });
      await Promise.all([map.start(), run.start()]);
      await map.discard();
      const next = stores.lease(kubeconfig, { events: false });
      await next.start();
      expect(next.store).not.toBe(run.store);
      expect(listed('/api/v1/pods')).toBe(2);
      // The run's store still answers until the run lets go of it.
      expect(run.store.pods()).toHaveLength(1);
      await run.release();
      expect(stores.size).toBe(1);
    } finally {
      await stores.close();
    }
  });

  it('does not hand out a store whose first list failed', async () => {
    const stores = new SharedWatchStores();
    try {
      refusing = true;
      const failed = stores.lease(kubeconfig, { events: false });
      await expect(failed.start()).rejects.toThrow();
      await failed.release();
      expect(stores.size).toBe(0);
      refusing = false;
      const next = stores.lease(kubeconfig, { events: false });
      await next.start();
      expect(next.store).not.toBe(failed.store);
      expect(next.store.pods()).toHaveLength(1);
    } finally {
      await stores.close();
    }
  });
});
