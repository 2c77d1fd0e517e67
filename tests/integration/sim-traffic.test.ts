// The sim shop behaves: the loadgenerator's users drive the traffic model in the lab agent, the
// lab's real Prometheus scrapes Istio's request metrics, and a NetworkPolicy that cuts cartservice
// off redis-cart (applied with kubectl, as a learner would) turns into cart errors and the
// CheckoutErrorsHigh alert while every pod stays Running; removing it heals the shop.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { evaluateCheck } from '../../core/scenarios/scenario-checks.ts';
import type { ScenarioContext } from '../../core/scenarios/scenario-context.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceGraph } from '../../core/contract/graph-types.ts';
import type { LabAlert } from '../../core/monitoring/lab-alerts.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, useTempHome } from './helpers/lab-env.ts';

const NAME = 'traffic-lab';

/** The single value of an instant PromQL query through `kartstream query`, or undefined when empty. */
const value = async (promql: string): Promise<number | undefined> => {
  const r = await cli(['query', promql, '--name', NAME, '-o', 'json']);
  expect(r.stderr).not.toMatch(/^error:/m);
  const result = JSON.parse(r.stdout) as { result: { value: [number, string] }[] };
  return result.result[0] ? Number(result.result[0].value[1]) : undefined;
};

/** `kartstream traffic graph -o json`: the service graph as the app draws it. */
const graph = async (): Promise<ServiceGraph> => {
  const r = await cli(['traffic', 'graph', '--name', NAME, '-o', 'json']);
  expect(r.stderr).not.toMatch(/^error:/m);
  return JSON.parse(r.stdout) as ServiceGraph;
};
const edgeOf = (g: ServiceGraph, id: string) => g.edges.find((e) => e.id === id);

const alerts = async (): Promise<LabAlert[]> =>
  JSON.parse((await cli(['alerts', '--name', NAME, '-o', 'json'])).stdout) as LabAlert[];

const CUT_OFF_REDIS = join(import.meta.dirname, '../fixtures/traffic/redis-only-from-frontend.yaml');

describe('traffic in a sim lab', () => {
  const temp = useTempHome();
  let kubeconfig = '';
  const kubectl = (args: string[], input?: string) =>
    execa('kubectl', ['--kubeconfig', kubeconfig, ...args], { input, timeout: 60_000 });

  // kubectl port-forward, the independent client: the local port it prints, and the process.
  const portForward = async (): Promise<{ url: string; process: ResultPromise }> => {
    const process = execa('kubectl', [
      '--kubeconfig',
      kubeconfig,
      '-n',
      'shop',
      'port-forward',
      'svc/frontend',
      ':80',
    ]);
    const port = await new Promise<string>((resolve, reject) => {
      process.stdout?.on('data', (chunk: Buffer) => {
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(chunk.toString());
        if (m?.[1]) resolve(m[1]);
      });
      process.catch(reject);
    });
    return { url: `http://127.0.0.1:${port}`, process };
  };
  const httpCheck = (path: string, method?: 'GET' | 'POST') =>
    evaluateCheck(
      { lab: { kubeconfigPath: kubeconfig } } as unknown as ScenarioContext,
      { http: { path, status: 200, ...(method ? { method } : {}) } },
      new Date(),
    );

  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME]);
    expect(up.stderr).not.toMatch(/^error:/m);
    kubeconfig = (await labContext(await requireLabRecord(NAME))).kubeconfigPath;
    // more shoppers, so a minute holds enough checkouts to judge
    await kubectl(['-n', 'shop', 'set', 'env', 'deployment/loadgenerator', 'USERS=60']);
    await kubectl(['-n', 'shop', 'rollout', 'status', 'deployment/loadgenerator', '--timeout=120s']);
  });
  afterAll(async () => {
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('serves Istio request metrics for the shop’s calls, all successful while the shop is healthy', async () => {
    const rate = await waitFor(
      'requests into the frontend in Prometheus',
      () => value('sum(rate(istio_requests_total{destination_workload="frontend"}[30s]))'),
      (v) => v !== undefined && v > 0,
      120_000,
      { intervalMs: 3_000 },
    );
    expect(rate).toBeGreaterThan(0);
    // checkout reaches payment, cart reaches redis... every edge of the call graph is there
    const edges = await value(
      'count(sum by (source_workload, destination_workload) (istio_requests_total{reporter="destination"}))',
    );
    expect(edges).toBeGreaterThanOrEqual(15);
    expect(await value('sum(istio_requests_total{response_code!="200"})')).toBeUndefined();
    // the service graph: the twelve workloads in their pools, every call carrying traffic, none failing
    const healthy = await waitFor(
      'every Istio edge of `kartstream traffic graph` carrying requests',
      graph,
      (g) => g.edges.filter((e) => e.metrics === 'istio').every((e) => (e.rps ?? 0) > 0),
      120_000,
      { intervalMs: 5_000 },
    );
    expect(healthy.nodes).toHaveLength(12);
    expect(healthy.pools).toEqual(['frontend', 'backend', 'database']);
    expect(healthy.nodes.find((n) => n.id === 'redis-cart')?.pool).toBe('database');
    expect(healthy.edges).toHaveLength(16);
    expect(healthy.edges.filter((e) => e.failing)).toEqual([]);
  }, 300_000);

  it('answers the frontend through `kubectl port-forward` as the real one routes it, and the http check through the API', async () => {
    const forward = await portForward();
    try {
      expect((await fetch(`${forward.url}/cart`)).status).toBe(200);
      expect((await fetch(`${forward.url}/product/OLJCESPC7Z`)).status).toBe(200);
      const wrongMethod = await fetch(`${forward.url}/cart/checkout`);
      expect([wrongMethod.status, await wrongMethod.text()]).toEqual([
        405,
        'GET /cart/checkout is not allowed; use POST\n',
      ]);
    } finally {
      forward.process.kill();
    }
    expect(await httpCheck('/')).toMatchObject({ ok: true, detail: 'GET / answered HTTP 200' });
    expect(await httpCheck('/cart/checkout', 'POST')).toMatchObject({ ok: true });
  }, 120_000);

  it('turns a NetworkPolicy between cartservice and redis into cart errors and a checkout alert, pods all Running', async () => {
    await kubectl(['apply', '-f', CUT_OFF_REDIS]);
    const cartErrors = await waitFor(
      'cartservice answering FAILED_PRECONDITION in Prometheus',
      () =>
        value(
          'sum(rate(istio_requests_total{destination_workload="cartservice",grpc_response_status="9"}[30s]))',
        ),
      (v) => v !== undefined && v > 0,
      120_000,
      { intervalMs: 3_000 },
    );
    expect(cartErrors).toBeGreaterThan(0);
    // the blast map: cart→redis and the calls into cartservice turn red; the calls that do not
    // need the cart stay healthy
    const blast = await waitFor(
      'the cartservice edges failing in `kartstream traffic graph`, most calls into the cart failed',
      graph,
      // the 1m window still holds the calls from before the policy at first: wait until it is
      // mostly failures rather than asserting on the first red frame
      (g) =>
        ['frontend>cartservice', 'cartservice>redis-cart'].every((id) => edgeOf(g, id)?.failing) &&
        (edgeOf(g, 'frontend>cartservice')?.errorRatio ?? 0) > 0.5,
      120_000,
      { intervalMs: 5_000 },
    );
    expect(edgeOf(blast, 'frontend>cartservice')!.errorRatio).toBeGreaterThan(0.5);
    expect(edgeOf(blast, 'cartservice>redis-cart')).toMatchObject({ metrics: 'inferred', rps: null });
    expect(edgeOf(blast, 'frontend>adservice')).toMatchObject({ failing: false, errorRatio: 0 });
    const firing = await waitFor(
      'CheckoutErrorsHigh firing in `kartstream alerts`',
      alerts,
      (list) => list.some((a) => a.name === 'CheckoutErrorsHigh' && a.state === 'firing'),
      240_000,
      { intervalMs: 5_000 },
    );
    expect(firing.find((a) => a.name === 'CheckoutErrorsHigh')?.summary).toMatch(/of checkouts are failing/);
    // the symptom is not a down pod
    const pods = JSON.parse(String((await kubectl(['-n', 'shop', 'get', 'pods', '-o', 'json'])).stdout)) as {
      items: { status: { phase: string } }[];
    };
    expect(pods.items.every((p) => p.status.phase === 'Running')).toBe(true);
    // a page that needs the cart hangs on redis, as the real frontend would; one that does not works
    expect(await httpCheck('/cart')).toEqual(
      expect.objectContaining({ ok: false, detail: 'GET /cart: no answer within 10 s' }),
    );
    expect(await httpCheck('/setCurrency', 'POST')).toMatchObject({ ok: true });
  }, 420_000);

  it('heals when the policy is removed: checkouts succeed again', async () => {
    await kubectl(['-n', 'shop', 'delete', 'networkpolicy', 'redis-only-from-frontend']);
    await waitFor(
      'the checkout error ratio back to 0',
      () => value('kartstream:checkout_errors:ratio_rate30s'),
      (v) => v === 0,
      180_000,
      { intervalMs: 5_000 },
    );
  }, 240_000);
});
