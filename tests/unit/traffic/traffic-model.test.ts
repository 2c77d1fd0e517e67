import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  DROPPED_MS,
  GRPC,
  REFUSED_MS,
  createTrafficModel,
  type ShopPod,
  type ShopView,
  type StepResult,
} from '../../../core/traffic/traffic-model.ts';
import { SHOP_WORKLOADS, type ShopWorkload } from '../../../core/traffic/shop-calls.ts';

const NS = 'boutique';
// CPU limits of the upstream manifests (millicores)
const LIMITS: Record<ShopWorkload, number> = {
  loadgenerator: 500,
  frontend: 200,
  adservice: 300,
  cartservice: 300,
  checkoutservice: 200,
  currencyservice: 200,
  emailservice: 200,
  paymentservice: 200,
  productcatalogservice: 200,
  recommendationservice: 200,
  shippingservice: 200,
  'redis-cart': 125,
};

const pod = (workload: ShopWorkload, i = 0, ready = true): ShopPod => ({
  name: `${workload}-${i}`,
  namespace: NS,
  labels: { app: workload },
  ready,
  cpuLimitMillicores: LIMITS[workload],
});

const shop = (change: Partial<ShopView> = {}): ShopView => ({
  pods: Object.fromEntries(SHOP_WORKLOADS.map((w) => [w, [pod(w)]])),
  policies: { policies: [], namespaceLabels: { [NS]: {} } },
  users: 10,
  ...change,
});

const run = (view: ShopView, seconds = 600, seed = 7): StepResult =>
  createTrafficModel(seed).step(view, seconds);

const edge = (r: StepResult, from: string, to: string) =>
  r.edges.filter((e) => e.from === from && e.to === to);
const failed = (r: StepResult, from: string, to: string) =>
  edge(r, from, to)
    .filter((e) => e.responseCode !== 200 || (e.grpcStatus ?? 0) !== 0)
    .reduce((n, e) => n + e.count, 0);
const total = (r: StepResult, from: string, to: string) => edge(r, from, to).reduce((n, e) => n + e.count, 0);

const cartCutOffRedis: V1NetworkPolicy = {
  metadata: { name: 'redis-lockdown', namespace: NS },
  spec: {
    podSelector: { matchLabels: { app: 'redis-cart' } },
    policyTypes: ['Ingress'],
    ingress: [{ _from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }],
  },
};

describe('the traffic model', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(run(shop(), 60, 1)).toEqual(run(shop(), 60, 1));
    expect(run(shop(), 60, 1)).not.toEqual(run(shop(), 60, 2));
  });

  it('serves a healthy shop without errors, pages in tens of milliseconds', () => {
    const r = run(shop());
    // 10 users, one task per 5.5 s on average, over 10 minutes: about 1,090 tasks
    const pages = Object.values(r.pages).reduce((n, p) => n + p.requests, 0);
    expect(pages).toBeGreaterThan(1000);
    expect(r.edges.every((e) => e.responseCode === 200 && (e.grpcStatus ?? 0) === 0)).toBe(true);
    expect(r.checkouts.failed).toBe(0);
    expect(r.checkouts.ok).toBeGreaterThan(30);
    const home = r.pages.home;
    expect(home.latencySumMs / home.requests).toBeGreaterThan(10);
    expect(home.latencySumMs / home.requests).toBeLessThan(100);
  });

  it('fails carts and checkouts when a NetworkPolicy cuts cartservice off redis, while every pod stays up', () => {
    const r = run(shop({ policies: { policies: [cartCutOffRedis], namespaceLabels: { [NS]: {} } } }));
    const toRedis = edge(r, 'cartservice', 'redis-cart');
    expect(toRedis.length).toBe(1);
    // dropped packets: Istio's response code 0, after the connect timeout
    expect(toRedis[0]!.responseCode).toBe(0);
    expect(toRedis[0]!.grpcStatus).toBeUndefined(); // redis speaks TCP, not gRPC
    expect(toRedis[0]!.latencySumMs / toRedis[0]!.count).toBe(DROPPED_MS);
    expect(failed(r, 'frontend', 'cartservice')).toBe(total(r, 'frontend', 'cartservice'));
    expect(edge(r, 'frontend', 'cartservice')[0]).toMatchObject({ grpcStatus: GRPC.FAILED_PRECONDITION });
    expect(r.checkouts.ok).toBe(0);
    expect(r.checkouts.failed).toBeGreaterThan(0);
    expect(r.pages.viewCart.failures).toBe(r.pages.viewCart.requests);
    // setting the currency touches no backend and still works
    expect(r.pages.setCurrency.failures).toBe(0);
  });

  it('lets the frontend through the same policy (it is the allowed peer)', () => {
    const lockdownWithCart: V1NetworkPolicy = {
      ...cartCutOffRedis,
      spec: {
        ...cartCutOffRedis.spec!,
        ingress: [
          { _from: [{ podSelector: { matchLabels: { app: 'cartservice' } } }], ports: [{ port: 6379 }] },
        ],
      },
    };
    const r = run(shop({ policies: { policies: [lockdownWithCart], namespaceLabels: { [NS]: {} } } }));
    expect(failed(r, 'cartservice', 'redis-cart')).toBe(0);
    expect(r.checkouts.failed).toBe(0);
  });

  it('keeps product pages up when recommendations have no ready pod (the frontend shows none)', () => {
    const r = run(
      shop({ pods: { ...shop().pods, recommendationservice: [pod('recommendationservice', 0, false)] } }),
    );
    expect(r.pages.product.requests).toBeGreaterThan(0);
    expect(r.pages.product.failures).toBe(0);
    const refused = edge(r, 'frontend', 'recommendationservice');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ responseCode: 503, grpcStatus: GRPC.UNAVAILABLE });
    expect(refused[0]!.latencySumMs / refused[0]!.count).toBe(REFUSED_MS);
  });

  it('fails every page with 503 when the frontend has no ready pod', () => {
    const r = run(shop({ pods: { ...shop().pods, frontend: [] } }));
    const pages = Object.values(r.pages);
    expect(pages.every((p) => p.failures === p.requests)).toBe(true);
    expect(edge(r, 'loadgenerator', 'frontend').map((e) => e.responseCode)).toEqual([503]);
    expect(total(r, 'frontend', 'currencyservice')).toBe(0);
  });

  it('fails about the rollout’s share of checkouts when payments fail, and nothing else', () => {
    const r = run(
      shop({
        users: 200,
        pods: { ...shop().pods, paymentservice: [{ ...pod('paymentservice'), errorRate: 0.05 }] },
      }),
      300,
    );
    const ratio = r.checkouts.failed / (r.checkouts.ok + r.checkouts.failed);
    expect(ratio).toBeGreaterThan(0.02);
    expect(ratio).toBeLessThan(0.09);
    expect(r.pages.home.failures + r.pages.product.failures + r.pages.viewCart.failures).toBe(0);
    expect(edge(r, 'checkoutservice', 'paymentservice').some((e) => e.grpcStatus === GRPC.UNKNOWN)).toBe(
      true,
    );
    expect(edge(r, 'frontend', 'checkoutservice').some((e) => e.grpcStatus === GRPC.INTERNAL)).toBe(true);
  });

  it('uses CPU in proportion to the load, capped at the limit, and slows pages under pressure', () => {
    const model = createTrafficModel(3);
    const calm = model.step(shop({ users: 10 }), 60);
    const busy = model.step(shop({ users: 400 }), 60); // the load, now at ~full frontend CPU
    const strained = model.step(shop({ users: 400 }), 60); // latency follows the last step's pressure
    expect(busy.cpuMillicores['frontend-0']).toBeGreaterThan(calm.cpuMillicores['frontend-0']! * 5);
    expect(busy.cpuMillicores['frontend-0']).toBeLessThanOrEqual(LIMITS.frontend);
    const mean = (r: StepResult) => r.pages.product.latencySumMs / r.pages.product.requests;
    expect(mean(strained)).toBeGreaterThan(mean(calm) * 3);
  });

  it('spreads the load over the ready replicas and keeps unready ones idle', () => {
    const frontends = [pod('frontend', 0), pod('frontend', 1), pod('frontend', 2, false)];
    const r = run(shop({ users: 50, pods: { ...shop().pods, frontend: frontends } }), 120);
    const [a, b] = [r.cpuMillicores['frontend-0']!, r.cpuMillicores['frontend-1']!];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.2);
    expect(r.cpuMillicores['frontend-2']).toBeUndefined();
  });

  it('answers a probe from outside as the frontend would: 200, 500 when a required call fails, 503 when it is down', () => {
    const model = createTrafficModel(11);
    expect(model.probe(shop(), 'viewCart').status).toBe(200);
    const cutOff = shop({ policies: { policies: [cartCutOffRedis], namespaceLabels: { [NS]: {} } } });
    const cart = model.probe(cutOff, 'viewCart');
    expect(cart.status).toBe(500);
    expect(cart.latencyMs).toBeGreaterThanOrEqual(DROPPED_MS); // the page hangs on redis first
    expect(model.probe(cutOff, 'setCurrency').status).toBe(200);
    expect(model.probe(shop({ pods: { ...shop().pods, frontend: [] } }), 'home').status).toBe(503);
  });
});
