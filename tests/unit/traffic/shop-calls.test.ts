import { describe, expect, it } from 'vitest';
import {
  CALLS,
  PAGES,
  SERVICE_PORTS,
  USER_TASKS,
  edgesOfPage,
  pageRatesPerUser,
  type PageName,
} from '../../../core/traffic/shop-calls.ts';

const callsTo = (page: PageName, from: string, to: string) =>
  edgesOfPage(page).find((e) => e.from === from && e.to === to)?.calls ?? 0;

describe('the shop call graph', () => {
  it('calls only workloads that have a Service port', () => {
    const targets = [
      ...Object.values(PAGES).flatMap((p) => p.calls),
      ...Object.values(CALLS).flatMap((methods) => Object.values(methods ?? {}).flat()),
    ].map((c) => c.to);
    for (const to of targets) expect(SERVICE_PORTS, to).toHaveProperty(to);
  });

  it('walks a checkout down to redis: one cart read and one emptying, one payment', () => {
    expect(callsTo('checkout', 'loadgenerator', 'frontend')).toBe(1);
    expect(callsTo('checkout', 'frontend', 'checkoutservice')).toBe(1);
    expect(callsTo('checkout', 'checkoutservice', 'cartservice')).toBe(2);
    expect(callsTo('checkout', 'cartservice', 'redis-cart')).toBe(2);
    expect(callsTo('checkout', 'checkoutservice', 'paymentservice')).toBe(1);
    expect(callsTo('checkout', 'checkoutservice', 'emailservice')).toBe(1);
    // the frontend never talks to payment or redis itself
    expect(callsTo('checkout', 'frontend', 'paymentservice')).toBe(0);
    expect(callsTo('checkout', 'frontend', 'redis-cart')).toBe(0);
  });

  it('converts every catalog price on the home page', () => {
    // GetSupportedCurrencies once, then one Convert per product
    expect(callsTo('home', 'frontend', 'currencyservice')).toBe(10);
    expect(callsTo('home', 'cartservice', 'redis-cart')).toBe(1);
  });

  it('lists recommendations through the catalog and shows up to four of them', () => {
    expect(callsTo('product', 'recommendationservice', 'productcatalogservice')).toBe(1);
    expect(callsTo('product', 'frontend', 'productcatalogservice')).toBe(1 + 4);
  });

  it('makes no backend call to set the currency (a cookie)', () => {
    expect(edgesOfPage('setCurrency')).toEqual([{ from: 'loadgenerator', to: 'frontend', calls: 1 }]);
  });

  it('spreads a user’s tasks over pages by weight and the mean 5.5 s wait', () => {
    const rates = pageRatesPerUser();
    const total = USER_TASKS.reduce((s, t) => s + t.weight, 0);
    expect(total).toBe(19);
    // browseProduct, addToCart and checkout each open a product page first
    expect(rates.product).toBeCloseTo((10 + 2 + 1) / 19 / 5.5, 10);
    expect(rates.checkout).toBeCloseTo(1 / 19 / 5.5, 10);
    expect(rates.addToCart).toBeCloseTo(3 / 19 / 5.5, 10);
  });
});
