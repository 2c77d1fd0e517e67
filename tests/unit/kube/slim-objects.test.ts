// The watch store keeps slimmed objects (no managedFields, no volumes...). Slimming must not change
// anything a reader shows: every reader of store objects (the map's views and diff, status, the
// scenario checks' pending explanation, kube-state-metrics series, the traffic model, pod logs)
// gives the same answer for a slimmed object as for the full one. And the store really slims: on
// its paged list and on its watch, against a tiny HTTP server that answers like an API server.
import type { ServerResponse } from 'node:http';
import type { KubernetesObject, V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabContext } from '../../../core/backends/cluster-backend.ts';
import type { ClusterView } from '../../../core/kube/cluster-view.ts';
import { kubeClients } from '../../../core/kube/kube-client.ts';
import { isDeploymentAvailable } from '../../../core/kube/readiness.ts';
import { listAllPages } from '../../../core/kube/slim-informer.ts';
import { LAST_APPLIED, slimObject, type SlimKind } from '../../../core/kube/slim-objects.ts';
import { WatchStore } from '../../../core/kube/watch-store.ts';
import { startFakeApiServer, type FakeApiServer } from '../../helpers/fake-api-server.ts';
import type { LabRecord } from '../../../core/lab/lab-record.ts';
import { snapshotFrom } from '../../../core/lab/lab-snapshot.ts';
import { ksmFamilies } from '../../../core/monitoring/ksm-series.ts';
import { podLogsObject } from '../../../core/monitoring/pod-logs.ts';
import { ClusterDiff } from '../../../core/server/cluster-diff.ts';
import { buildShopView, usersPerLoadgenerator } from '../../../core/traffic/shop-view.ts';
import { DEPLOYMENTS, NODES, pod, PODS } from '../../helpers/api-objects.ts';

const slimmed = <T extends KubernetesObject>(kind: SlimKind, objects: T[]): T[] =>
  objects.map((o) => slimObject(kind, structuredClone(o)));

const viewOf = (nodes: V1Node[], pods: V1Pod[], deployments: V1Deployment[]): ClusterView => ({
  nodes: () => nodes,
  pods: (ns) => pods.filter((p) => !ns || p.metadata?.namespace === ns),
  deployments: (ns) => deployments.filter((d) => !ns || d.metadata?.namespace === ns),
});

// Everything the readers make of a cluster view.
const readings = (view: ClusterView) => {
  const diff = new ClusterDiff('shop');
  for (const n of view.nodes()) diff.node(n.metadata?.name ?? '', n);
  for (const p of view.pods()) diff.pod(p, false);
  for (const d of view.deployments()) diff.deployment(d, false);
  diff.delta(view.nodes());
  const { at: _at, ...map } = diff.reset('lab', []);
  const lab = { name: 'lab', kubeconfigPath: '/k' } as LabContext;
  const record = { name: 'lab', backend: 'sim', state: 'running', namespace: 'shop' } as unknown as LabRecord;
  return {
    map,
    status: snapshotFrom(view, lab, record),
    ksm: ksmFamilies(view),
    traffic: buildShopView({
      namespace: 'shop',
      pods: view.pods(),
      deployments: view.deployments(),
      policies: [],
      namespaces: [],
    }),
    users: usersPerLoadgenerator(view.deployments().find((d) => d.metadata?.name === 'loadgenerator')),
    available: view.deployments().map(isDeploymentAvailable),
    logs: view.pods().map((p) => podLogsObject(p, '/logs')),
    spread: view.deployments().map((d) => d.spec?.template.spec?.topologySpreadConstraints),
    owners: view.pods().map((p) => p.metadata?.ownerReferences),
  };
};

describe('slimObject', () => {
  it('drops managedFields, the last-applied annotation, pod volumes and node images', () => {
    const [n] = slimmed('Node', NODES);
    const [p] = slimmed('Pod', PODS);
    const [d] = slimmed('Deployment', DEPLOYMENTS);
    for (const o of [n, p, d]) {
      expect(o?.metadata?.managedFields).toBeUndefined();
      expect(o?.metadata?.annotations?.[LAST_APPLIED]).toBeUndefined();
    }
    expect(n?.metadata?.annotations).toEqual({ 'node.alpha.kubernetes.io/ttl': '0' });
    expect(n?.status?.images).toBeUndefined();
    expect(p?.spec?.volumes).toBeUndefined();
    expect(p?.spec?.containers[0]?.volumeMounts).toBeUndefined();
    expect(JSON.stringify(p)).not.toMatch(/managedFields|kube-api-access|termination/);
    // What readers use is still there.
    expect(p?.spec?.containers[0]?.resources?.limits?.cpu).toBe('300m');
    expect(p?.metadata?.annotations?.['kartstream.dev/error-rate']).toBe('0.25');
    expect(d?.spec?.template.spec?.containers[0]?.env).toEqual([{ name: 'USERS', value: '30' }]);
  });

  it('leaves every reader with the same view of the cluster', () => {
    const full = readings(viewOf(NODES, PODS, DEPLOYMENTS));
    const slim = readings(
      viewOf(slimmed('Node', NODES), slimmed('Pod', PODS), slimmed('Deployment', DEPLOYMENTS)),
    );
    expect(slim).toEqual(full);
    // The fixture covers what the map shows: a ready and a cordoned not-ready node, a running pod,
    // a crash-looping one and a Pending one with its reasons, and a Deployment short of replicas.
    expect(full.map.nodes.map((n) => [n.name, n.ready, n.schedulable])).toEqual([
      ['backend-1', true, true],
      ['backend-2', false, false],
    ]);
    expect(full.map.pods.map((p) => [p.phase, p.reason, (p.unschedulable?.length ?? 0) > 0])).toEqual([
      ['Running', undefined, false],
      ['Pending', 'CrashLoopBackOff', false],
      ['Pending', 'Unschedulable', true],
      ['Running', undefined, false],
    ]);
    expect(full.users).toBe(30);
    expect(full.traffic.pods.cartservice?.[0]).toMatchObject({ cpuLimitMillicores: 300, errorRate: 0.25 });
  });
});

// ---- the store: a paged list and a watch, from a tiny API server --------------------------------

const LISTS: Record<string, { kind: string; items: () => KubernetesObject[] }> = {
  '/api/v1/nodes': { kind: 'NodeList', items: () => NODES },
  '/api/v1/pods': { kind: 'PodList', items: () => PODS },
  '/apis/apps/v1/deployments': { kind: 'DeploymentList', items: () => DEPLOYMENTS },
  '/api/v1/events': { kind: 'EventList', items: () => [] },
};

let api: FakeApiServer;
const watches = new Map<string, ServerResponse>();
/** The `limit` and `continue` of every pod list request. */
const podLists: [string | null, string | null][] = [];

beforeAll(async () => {
  api = await startFakeApiServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const list = LISTS[url.pathname];
    if (!list) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (url.searchParams.get('watch') === 'true') {
      watches.set(url.pathname, res);
      res.on('close', () => watches.delete(url.pathname));
      res.flushHeaders();
      return;
    }
    // Pages of `limit` items, `continue` being the index of the next one.
    const all = list.items();
    const from = Number(url.searchParams.get('continue') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? all.length);
    if (url.pathname === '/api/v1/pods')
      podLists.push([url.searchParams.get('limit'), url.searchParams.get('continue')]);
    const next = from + limit < all.length ? String(from + limit) : undefined;
    res.end(
      JSON.stringify({
        kind: list.kind,
        apiVersion: 'v1',
        metadata: { resourceVersion: '100', ...(next ? { continue: next } : {}) },
        items: all.slice(from, from + limit),
      }),
    );
  });
});

afterAll(() => api.close());

describe('WatchStore objects', () => {
  it('are listed page by page, into one list with the snapshot resourceVersion', async () => {
    const { core } = kubeClients(api.kubeconfig);
    podLists.length = 0;
    const list = await listAllPages('Pod', (page) => core.listPodForAllNamespaces(page), 3);
    expect(podLists).toEqual([
      ['3', null],
      ['3', '3'],
    ]);
    expect(list.metadata?.resourceVersion).toBe('100');
    expect(list.items.map((p) => p.metadata?.name)).toEqual(PODS.map((p) => p.metadata?.name));
    expect(list.items.every((p) => p.metadata?.managedFields === undefined)).toBe(true);
  });

  it('are slimmed from its paged list and from its watch, and read the same', async () => {
    const store = new WatchStore(kubeClients(api.kubeconfig), { events: false });
    try {
      await store.start();
      // Pods came in pages (PAGE_SIZE is far above 4, so one page here), with a limit.
      expect(podLists.length).toBeGreaterThan(0);
      expect(podLists.every(([limit]) => Number(limit) > 0)).toBe(true);
      expect(store.pods()).toHaveLength(PODS.length);
      for (const o of [...store.nodes(), ...store.pods(), ...store.deployments()]) {
        expect(o.metadata?.managedFields).toBeUndefined();
        expect(o.metadata?.annotations?.[LAST_APPLIED]).toBeUndefined();
      }
      expect(() => store.events()).toThrow(/events: false/);
      expect(readings(store)).toEqual(readings(viewOf(NODES, PODS, DEPLOYMENTS)));

      // A pod added by the watch is slimmed too.
      const added = pod('cartservice-abc-9', 'cartservice', 'backend-1', 'Running');
      added.metadata = { ...added.metadata, resourceVersion: '101' };
      const watch = watches.get('/api/v1/pods');
      expect(watch).toBeDefined();
      watch?.write(`${JSON.stringify({ type: 'ADDED', object: added })}\n`);
      await store.waitFor('the added pod', () => store.pods().length === PODS.length + 1 || 'not yet', {
        timeoutMs: 5000,
      });
      const seen = store.pods().find((p) => p.metadata?.name === 'cartservice-abc-9');
      expect(seen?.metadata?.managedFields).toBeUndefined();
      expect(seen?.spec?.volumes).toBeUndefined();
      expect(seen?.spec?.containers[0]?.resources?.limits?.cpu).toBe('300m');
    } finally {
      await store.stop();
    }
  });
});
