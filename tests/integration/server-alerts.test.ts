// Alerts and PromQL charts through the core server's API on a real sim lab with its real
// Prometheus and Alertmanager: the live alert list follows cartservice scaled to zero (firing)
// and back (resolved); the teaching queries return named series with points; a bad query comes
// back as invalid input in Prometheus' own words.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../core/contract/router.ts';
import { TEACHING_QUERIES } from '../../core/contract/teaching-queries.ts';
import type { AlertsMessage, RangeResult } from '../../core/contract/wire-types.ts';
import { simBackend } from '../../core/backends/sim/backend.ts';
import { isKartStreamError, type KartStreamError } from '../../core/errors/kartstream-error.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { createServices, type CreatedServices } from '../../core/server/services/index.ts';
import { loadTopology } from '../../core/topology/index.ts';
import { waitFor, wakeup } from '../helpers/wait.ts';
import { cli, useTempHome } from './helpers/lab-env.ts';
import { localContext } from '../../core/server/share-service.ts';

const NAME = 'srv-alerts';

let created: CreatedServices;
let api: ReturnType<typeof appRouter.createCaller>;
let kubeconfig = '';

const failure = async (call: Promise<unknown>): Promise<KartStreamError> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as { cause?: unknown },
  );
  expect(error, 'the call should have failed').toBeDefined();
  if (!isKartStreamError(error?.cause)) throw error;
  return error.cause;
};

const query = (id: string) => TEACHING_QUERIES.find((q) => q.id === id)!;

// Re-runs a range query until `match` holds: Prometheus scrapes every 5 s.
const rangeUntil = (
  what: string,
  q: string,
  match: (r: RangeResult) => boolean,
  timeoutMs: number,
): Promise<RangeResult> =>
  waitFor(
    `the range query to show ${what}`,
    () => api.metrics.range({ lab: NAME, query: q, minutes: 5, stepSeconds: 5 }),
    match,
    timeoutMs,
    { intervalMs: 2_000 },
  );

const latest = (r: RangeResult, name: string) => r.series.find((s) => s.name === name)?.points.at(-1)?.[1];

describe('alerts and metrics through the core server', () => {
  const temp = useTempHome();
  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME]);
    expect(up.exitCode, up.stderr).toBe(0);
    kubeconfig = (await labContext(await requireLabRecord(NAME))).kubeconfigPath;
    created = createServices({ defaultLab: NAME, desktop: false });
    api = appRouter.createCaller(localContext(created.services));
  });
  afterAll(async () => {
    await created?.close();
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('charts available replicas per service and ready nodes per pool, named by their label', async () => {
    const topology = await loadTopology();
    const replicas = await rangeUntil(
      'a cartservice series',
      query('available-replicas').query,
      (r) => r.series.some((s) => s.name === 'cartservice'),
      60_000,
    );
    expect(replicas.query).toBe(query('available-replicas').query);
    expect(latest(replicas, 'cartservice')).toBe(1);
    expect(replicas.series.every((s) => s.points.length > 0)).toBe(true);
    expect(replicas.series[0]?.labels).toHaveProperty('deployment');

    const ready = await rangeUntil(
      'a series per pool with two points',
      query('ready-nodes').query,
      (r) => r.series.length === topology.pools.length && r.series.every((s) => s.points.length >= 2),
      60_000,
    );
    for (const pool of topology.pools) expect(latest(ready, pool.name), pool.name).toBe(pool.nodes);
    const [t0, t1] = ready.series[0]!.points.map((p) => p[0]);
    expect(t1! - t0!).toBe(5);
  });

  it('refuses a bad query with Prometheus’ own message and the query', async () => {
    const error = await failure(api.metrics.range({ lab: NAME, query: 'sum(kube_pod_info' }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/Prometheus refused the request: .*parse error/);
    expect(error.details).toEqual(['query: sum(kube_pod_info']);
    expect((await failure(api.alerts.list({ lab: 'no-such-lab' }))).code).toBe('not-found');
  });

  it('streams ShopServiceUnavailable firing when cartservice is scaled to 0, and resolved after', async () => {
    const stop = new AbortController();
    const caller = appRouter.createCaller(localContext(created.services), { signal: stop.signal });
    const messages: AlertsMessage[] = [];
    const cart = (m: AlertsMessage) =>
      m.alerts.find((a) => a.name === 'ShopServiceUnavailable' && a.service === 'cartservice');
    const events = wakeup();
    const until = (what: string, match: (m: AlertsMessage) => boolean, timeoutMs: number) =>
      waitFor(
        `an alerts message with ${what}`,
        () => messages.find(match) ?? messages.at(-1),
        (m): m is AlertsMessage => m !== undefined && match(m),
        timeoutMs,
        { wakeup: events },
      );
    const following = (async () => {
      for await (const m of await caller.alerts.watch({ lab: NAME })) {
        messages.push(m);
        events.wake();
      }
    })();
    try {
      await until('anything (the first one)', () => true, 10_000);
      expect(messages[0]?.available).toBe(true);
      expect(cart(messages[0]!)).toBeUndefined();

      await execa('kubectl', ['--kubeconfig', kubeconfig, 'scale', 'deploy/cartservice', '--replicas=0']);
      const firing = await until('cartservice firing', (m) => cart(m)?.state === 'firing', 150_000);
      expect(cart(firing)).toMatchObject({ severity: 'critical', pool: 'backend' });
      expect(cart(firing)?.summary).toMatch(/cartservice/);
      expect(Date.parse(cart(firing)!.since)).toBeGreaterThan(0);

      await execa('kubectl', ['--kubeconfig', kubeconfig, 'scale', 'deploy/cartservice', '--replicas=1']);
      await until('cartservice resolved', (m) => cart(m)?.state === 'resolved', 180_000);
      // Only changes are sent: no two messages in a row are the same.
      for (let i = 1; i < messages.length; i += 1)
        expect(JSON.stringify(messages[i])).not.toBe(JSON.stringify(messages[i - 1]));
    } finally {
      stop.abort();
      await following;
    }
  });

  it('charts Pending pods per pool when the backend pool loses its nodes', async () => {
    const lab = await labContext(await requireLabRecord(NAME));
    const backend = simBackend();
    await backend.failNode(lab, 'backend-1');
    await backend.failNode(lab, 'backend-2');
    try {
      const pending = await rangeUntil(
        'Pending pods in the backend pool',
        query('pending-pods').query,
        (r) => (latest(r, 'backend') ?? 0) > 0,
        120_000,
      );
      expect(pending.series.map((s) => s.name)).toContain('backend');
      const ready = await rangeUntil(
        'no ready node in the backend pool',
        query('ready-nodes').query,
        (r) => latest(r, 'backend') === 0,
        60_000,
      );
      expect(ready.series.find((s) => s.name === 'backend')!.points.length).toBeGreaterThan(1);
    } finally {
      await backend.healNode(lab, 'backend-1');
      await backend.healNode(lab, 'backend-2');
    }
  });
});
