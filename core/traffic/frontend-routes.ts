// The frontend's routes (upstream src/frontend/main.go), so a request that reaches a sim frontend
// pod through a port-forward is answered as the real handler would: which page it is, or why not.
import type { PageName } from './shop-calls.ts';

export type Route = { page: PageName } | { healthz: true } | { status: 404 | 405; reason: string };

const ROUTES: { method: string; path: RegExp; page: PageName }[] = [
  { method: 'GET', path: /^\/$/, page: 'home' },
  { method: 'GET', path: /^\/product\/[^/]+$/, page: 'product' },
  { method: 'GET', path: /^\/cart$/, page: 'viewCart' },
  { method: 'POST', path: /^\/cart$/, page: 'addToCart' },
  { method: 'POST', path: /^\/cart\/checkout$/, page: 'checkout' },
  { method: 'POST', path: /^\/setCurrency$/, page: 'setCurrency' },
];

/** The page a request asks for; HEAD is GET without a body, as in Go's router. */
export const routeOf = (method: string, url: string): Route => {
  const path = url.split('?')[0] ?? '/';
  if (path === '/_healthz') return { healthz: true };
  const verb = method === 'HEAD' ? 'GET' : method;
  const matching = ROUTES.filter((r) => r.path.test(path));
  const route = matching.find((r) => r.method === verb);
  if (route) return { page: route.page };
  if (matching.length > 0)
    return {
      status: 405,
      reason: `${method} ${path} is not allowed; use ${matching.map((r) => r.method).join(' or ')}`,
    };
  return { status: 404, reason: `no page at ${path}` };
};
