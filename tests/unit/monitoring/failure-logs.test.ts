import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { failureLine } from '../../../core/monitoring/boutique-failure-lines.ts';
import { FAILURE_LOG_WINDOW_MS, failureLogBook } from '../../../core/monitoring/failure-logs.ts';
import { SHOP_WORKLOADS } from '../../../core/traffic/shop-calls.ts';
import { createTrafficModel, type Hop, type ShopView } from '../../../core/traffic/traffic-model.ts';

const NS = 'shop';
const view = (change: Partial<ShopView> = {}): ShopView => ({
  pods: Object.fromEntries(
    SHOP_WORKLOADS.map((w) => [w, [{ name: `${w}-0`, namespace: NS, labels: { app: w }, ready: true }]]),
  ),
  policies: { policies: [], namespaceLabels: { [NS]: {} } },
  users: 30,
  ...change,
});
const policy = (app: string, from: string): V1NetworkPolicy => ({
  metadata: { name: `${app}-lockdown`, namespace: NS },
  spec: {
    podSelector: { matchLabels: { app } },
    policyTypes: ['Ingress'],
    ingress: [{ _from: [{ podSelector: { matchLabels: { app: from } } }] }],
  },
});
const cutOff = (app: string, onlyFrom = 'nobody') =>
  view({ policies: { policies: [policy(app, onlyFrom)], namespaceLabels: { [NS]: {} } } });

/** The failed calls of one minute of traffic. */
const failedHops = (shop: ShopView): Hop[] => {
  const hops: Hop[] = [];
  createTrafficModel(5).step(shop, 60, (hop) => {
    if (!hop.ok) hops.push(hop);
  });
  return hops;
};
const texts = (hop: Hop) =>
  failureLine(hop)
    ?.render(new Date('2026-12-05T12:00:00Z'))
    .map((l) => l.text) ?? [];
const json = (text: string) => JSON.parse(text) as Record<string, string>;

describe('what the shop prints when its calls fail (Online Boutique v0.10 messages)', () => {
  it('cartservice cut off redis-cart: cartservice raises FailedPrecondition on cart storage, the frontend logs the request error', () => {
    const hops = failedHops(cutOff('redis-cart', 'frontend'));
    const cart = hops.find((h) => h.from === 'cartservice' && h.to === 'redis-cart')!;
    expect(cart.fromPod).toBe('cartservice-0');
    const [header, detail] = texts(cart);
    expect(header).toBe('info: Grpc.AspNetCore.Server.ServerCallHandler[7]');
    expect(detail).toMatch(
      /^ {6}Error status code 'FailedPrecondition' with detail 'Can't access cart storage\. StackExchange\.Redis\.RedisTimeoutException: Timeout awaiting response .*serverEndpoint: redis-cart:6379' raised\.$/,
    );

    const page = hops.find((h) => h.from === 'frontend' && h.to === 'cartservice' && h.method === 'GetCart')!;
    const line = json(texts(page)[0]!);
    expect(line).toMatchObject({
      message: 'request error',
      severity: 'error',
      'http.req.path': expect.any(String),
    });
    expect(line.error).toMatch(
      /^could not retrieve cart: rpc error: code = FailedPrecondition desc = Can't access cart storage\. StackExchange\.Redis\.RedisTimeoutException/,
    );
    // logrus sorts the fields
    expect(Object.keys(line)).toEqual([...Object.keys(line)].sort());
  });

  it('checkoutservice cut off paymentservice: the frontend logs "failed to charge card" from the order it could not complete', () => {
    const hops = failedHops(cutOff('paymentservice'));
    const order = hops.find((h) => h.from === 'frontend' && h.to === 'checkoutservice')!;
    expect(json(texts(order)[0]!)).toMatchObject({
      message: 'request error',
      'http.req.method': 'POST',
      'http.req.path': '/cart/checkout',
      error:
        'failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp paymentservice:50051: i/o timeout"',
    });
    // checkoutservice returns the error without logging it (upstream main.go)
    expect(hops.filter((h) => h.from === 'checkoutservice').every((h) => failureLine(h) === undefined)).toBe(
      true,
    );
  });

  it('optional calls only warn: ads and recommendations', () => {
    const noAds = view({ pods: { ...view().pods, adservice: [] } });
    const ads = failedHops(noAds).find((h) => h.to === 'adservice')!;
    expect(json(texts(ads)[0]!)).toMatchObject({ message: 'failed to retrieve ads', severity: 'warning' });
    expect(json(texts(ads)[0]!).error).toBeUndefined();
    const recs = failedHops(cutOff('recommendationservice')).find((h) => h.to === 'recommendationservice')!;
    expect(json(texts(recs)[0]!)).toMatchObject({ message: 'failed to get product recommendations' });
  });

  it('a Service with no ready endpoint is a refused connection', () => {
    const noCurrency = view({ pods: { ...view().pods, currencyservice: [] } });
    const hop = failedHops(noCurrency).find((h) => h.from === 'frontend' && h.to === 'currencyservice')!;
    expect(json(texts(hop)[0]!).error).toMatch(
      /^could not retrieve currencies: rpc error: code = Unavailable desc = .*dial tcp currencyservice:7000: connect: connection refused"$/,
    );
  });

  it('a healthy shop prints nothing', () => {
    const book = failureLogBook();
    createTrafficModel(5).step(view(), 60, book.see);
    expect(book.take().size).toBe(0);
  });
});

describe('the failure log rate limit', () => {
  it('prints each message at most once per pod per window, then again once the window has passed', () => {
    let now = Date.parse('2026-12-05T12:00:00Z');
    const book = failureLogBook(() => new Date(now));
    const shop = cutOff('redis-cart', 'frontend');
    const model = createTrafficModel(5);
    model.step(shop, 5, book.see);
    const first = book.take();
    // hundreds of failed calls in 5 s: one cart storage line (two text lines), and one request
    // error per distinct message of the frontend
    expect(first.get('cartservice-0')).toHaveLength(2);
    const frontend = first.get('frontend-0')!.map((l) => json(l.text).error!.split(':')[0]);
    expect(new Set(frontend).size).toBe(frontend.length);
    expect(frontend).toContain('could not retrieve cart');

    now += FAILURE_LOG_WINDOW_MS - 1;
    model.step(shop, 5, book.see);
    expect(book.take().size).toBe(0);

    now += 1;
    model.step(shop, 5, book.see);
    expect(book.take().get('cartservice-0')).toHaveLength(2);
  });

  it('keeps pods apart: each cartservice replica prints its own line', () => {
    const book = failureLogBook(() => new Date(0));
    const shop = cutOff('redis-cart', 'frontend');
    shop.pods.cartservice = ['a', 'b'].map((s) => ({
      name: `cartservice-${s}`,
      namespace: NS,
      labels: { app: 'cartservice' },
      ready: true,
    }));
    createTrafficModel(5).step(shop, 5, book.see);
    const lines = book.take();
    expect(lines.get('cartservice-a')).toHaveLength(2);
    expect(lines.get('cartservice-b')).toHaveLength(2);
  });
});
