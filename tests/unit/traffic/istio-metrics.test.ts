import { execa } from 'execa';
import { Registry } from 'prom-client';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { istioMetrics } from '../../../core/traffic/istio-metrics.ts';
import { SHOP_WORKLOADS } from '../../../core/traffic/shop-calls.ts';
import { createTrafficModel, type ShopView } from '../../../core/traffic/traffic-model.ts';

const NS = 'boutique';
const shop = (policies: V1NetworkPolicy[] = []): ShopView => ({
  pods: Object.fromEntries(
    SHOP_WORKLOADS.map((w) => [w, [{ name: `${w}-0`, namespace: NS, labels: { app: w }, ready: true }]]),
  ),
  policies: { policies, namespaceLabels: { [NS]: {} } },
  users: 10,
});

/** The value of the sample whose labels include every pair of `match`, summed. */
const sum = (text: string, name: string, match: Record<string, string>): number =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => Object.entries(match).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((n, line) => n + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

describe('Istio metrics from the traffic model', () => {
  it('counts each edge’s requests and their outcomes as Istio names them, in a format promtool accepts', async () => {
    const registry = new Registry();
    const observe = istioMetrics(registry, NS);
    // frontend's replies to every cart call fail when cartservice has no way to redis
    const denyRedis: V1NetworkPolicy = {
      metadata: { name: 'deny-redis', namespace: NS },
      spec: { podSelector: { matchLabels: { app: 'redis-cart' } }, policyTypes: ['Ingress'] },
    };
    const result = createTrafficModel(5).step(shop([denyRedis]), 120, observe);
    const text = await registry.metrics();

    const cartCalls = result.edges.filter((e) => e.from === 'frontend' && e.to === 'cartservice');
    const total = cartCalls.reduce((n, e) => n + e.count, 0);
    expect(total).toBeGreaterThan(0);
    expect(
      sum(text, 'istio_requests_total', { source_workload: 'frontend', destination_workload: 'cartservice' }),
    ).toBe(total);
    expect(
      sum(text, 'istio_requests_total', {
        source_workload: 'frontend',
        destination_workload: 'cartservice',
        grpc_response_status: '9',
      }),
    ).toBe(total);
    expect(
      sum(text, 'istio_request_duration_milliseconds_count', {
        source_workload: 'frontend',
        destination_workload: 'cartservice',
      }),
    ).toBe(total);
    // the pages the loadgenerator saw fail are HTTP 500s from the frontend
    const failedPages = Object.values(result.pages).reduce((n, p) => n + p.failures, 0);
    expect(
      sum(text, 'istio_requests_total', { destination_workload: 'frontend', response_code: '500' }),
    ).toBe(failedPages);
    // redis is TCP: not in the request metrics
    expect(text).not.toContain('destination_workload="redis-cart"');
    expect(text).toContain('reporter="destination"');

    const check = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
    expect(check.stderr + check.stdout).not.toMatch(/error/i);
  });
});
