import { describe, expect, it } from 'vitest';
import { routeOf } from '../../../core/traffic/frontend-routes.ts';

describe('the frontend’s routes', () => {
  it.each([
    ['GET', '/', 'home'],
    ['GET', '/product/OLJCESPC7Z', 'product'],
    ['HEAD', '/product/OLJCESPC7Z', 'product'],
    ['GET', '/cart', 'viewCart'],
    ['POST', '/cart', 'addToCart'],
    ['POST', '/cart/checkout', 'checkout'],
    ['POST', '/setCurrency', 'setCurrency'],
    ['GET', '/?currency=EUR', 'home'],
  ])('%s %s is the %s page', (method, url, page) => {
    expect(routeOf(method, url)).toEqual({ page });
  });

  it('answers the health probe path itself', () => {
    expect(routeOf('GET', '/_healthz')).toEqual({ healthz: true });
  });

  it('refuses a known path with the wrong method (405), naming the right one, and an unknown path (404)', () => {
    expect(routeOf('GET', '/cart/checkout')).toEqual({
      status: 405,
      reason: 'GET /cart/checkout is not allowed; use POST',
    });
    expect(routeOf('GET', '/product/')).toMatchObject({ status: 404 });
    expect(routeOf('DELETE', '/nope')).toEqual({ status: 404, reason: 'no page at /nope' });
  });
});
