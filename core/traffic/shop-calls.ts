// Online Boutique v0.10 as a call graph: what the loadgenerator's simulated users do, which frontend
// page each task asks for, and which calls each page makes, in order, down to redis. Read from the
// upstream sources (loadgenerator/locustfile.py; frontend handlers.go and rpc.go; checkoutservice
// main.go; cartservice's Redis store) — see docs/traffic.md for each fact and its source.

export const SHOP_WORKLOADS = [
  'loadgenerator',
  'frontend',
  'adservice',
  'cartservice',
  'checkoutservice',
  'currencyservice',
  'emailservice',
  'paymentservice',
  'productcatalogservice',
  'recommendationservice',
  'shippingservice',
  'redis-cart',
] as const;
export type ShopWorkload = (typeof SHOP_WORKLOADS)[number];

export type Protocol = 'http' | 'grpc' | 'tcp';

/**
 * How each workload is called: its Service port (as callers dial it), the container port the Service
 * forwards to (what a NetworkPolicy sees), and the protocol.
 */
export const SERVICE_PORTS: Record<
  Exclude<ShopWorkload, 'loadgenerator'>,
  { port: number; targetPort: number; protocol: Protocol }
> = {
  frontend: { port: 80, targetPort: 8080, protocol: 'http' },
  adservice: { port: 9555, targetPort: 9555, protocol: 'grpc' },
  cartservice: { port: 7070, targetPort: 7070, protocol: 'grpc' },
  checkoutservice: { port: 5050, targetPort: 5050, protocol: 'grpc' },
  currencyservice: { port: 7000, targetPort: 7000, protocol: 'grpc' },
  emailservice: { port: 5000, targetPort: 8080, protocol: 'grpc' },
  paymentservice: { port: 50051, targetPort: 50051, protocol: 'grpc' },
  productcatalogservice: { port: 3550, targetPort: 3550, protocol: 'grpc' },
  recommendationservice: { port: 8080, targetPort: 8080, protocol: 'grpc' },
  shippingservice: { port: 50051, targetPort: 50051, protocol: 'grpc' },
  'redis-cart': { port: 6379, targetPort: 6379, protocol: 'tcp' },
};

/**
 * The time a workload spends on one request of its own, before and between its calls, at no CPU
 * pressure (milliseconds). Lab figures of the right order, not measurements: the JVM adservice and
 * the Python services are slower than the Go ones; redis answers in well under a millisecond.
 */
export const OWN_LATENCY_MS: Record<Exclude<ShopWorkload, 'loadgenerator'>, number> = {
  frontend: 6,
  adservice: 4,
  cartservice: 2,
  checkoutservice: 3,
  currencyservice: 1.5,
  emailservice: 8,
  paymentservice: 2,
  productcatalogservice: 1,
  recommendationservice: 5,
  shippingservice: 1,
  'redis-cart': 0.3,
};

/** One call: to whom, how many times per request, and whether the caller goes on without it. */
export interface Call {
  to: Exclude<ShopWorkload, 'loadgenerator'>;
  method: string;
  times?: number;
  /** The caller logs the failure and answers anyway (ads, recommendations, the confirmation email). */
  optional?: boolean;
}

/** Products in the catalog (the home page converts each price) and distinct items in a cart. */
export const CATALOG_PRODUCTS = 9;
export const CART_ITEMS = 2;
/** Products the frontend looks up after a recommendation call (it shows at most four). */
const RECOMMENDED = 4;

const recommendations = (optional: boolean): Call[] => [
  { to: 'recommendationservice', method: 'ListRecommendations', optional },
  { to: 'productcatalogservice', method: 'GetProduct', times: RECOMMENDED, optional },
];

/** What each workload calls while serving one request of the given method. */
export const CALLS: Partial<Record<ShopWorkload, Record<string, Call[]>>> = {
  cartservice: {
    GetCart: [{ to: 'redis-cart', method: 'HGET' }],
    AddItem: [
      { to: 'redis-cart', method: 'HGET' },
      { to: 'redis-cart', method: 'HSET' },
    ],
    EmptyCart: [{ to: 'redis-cart', method: 'HSET' }],
  },
  recommendationservice: {
    ListRecommendations: [{ to: 'productcatalogservice', method: 'ListProducts' }],
  },
  checkoutservice: {
    PlaceOrder: [
      { to: 'cartservice', method: 'GetCart' },
      { to: 'productcatalogservice', method: 'GetProduct', times: CART_ITEMS },
      { to: 'currencyservice', method: 'Convert', times: CART_ITEMS },
      { to: 'shippingservice', method: 'GetQuote' },
      { to: 'currencyservice', method: 'Convert' },
      { to: 'paymentservice', method: 'Charge' },
      { to: 'shippingservice', method: 'ShipOrder' },
      // checkoutservice ignores a failed EmptyCart and only logs a failed confirmation email.
      { to: 'cartservice', method: 'EmptyCart', optional: true },
      { to: 'emailservice', method: 'SendOrderConfirmation', optional: true },
    ],
  },
};

export type PageName = 'home' | 'product' | 'setCurrency' | 'addToCart' | 'viewCart' | 'checkout';

export interface Page {
  method: 'GET' | 'POST';
  path: string;
  calls: Call[];
}

/** The frontend's pages and their calls, in the order its handlers make them. */
export const PAGES: Record<PageName, Page> = {
  home: {
    method: 'GET',
    path: '/',
    calls: [
      { to: 'currencyservice', method: 'GetSupportedCurrencies' },
      { to: 'productcatalogservice', method: 'ListProducts' },
      { to: 'cartservice', method: 'GetCart' },
      { to: 'currencyservice', method: 'Convert', times: CATALOG_PRODUCTS },
      { to: 'adservice', method: 'GetAds', optional: true },
    ],
  },
  product: {
    method: 'GET',
    path: '/product/{id}',
    calls: [
      { to: 'productcatalogservice', method: 'GetProduct' },
      { to: 'currencyservice', method: 'GetSupportedCurrencies' },
      { to: 'cartservice', method: 'GetCart' },
      { to: 'currencyservice', method: 'Convert' },
      ...recommendations(true),
      { to: 'adservice', method: 'GetAds', optional: true },
    ],
  },
  setCurrency: { method: 'POST', path: '/setCurrency', calls: [] },
  addToCart: {
    method: 'POST',
    path: '/cart',
    calls: [
      { to: 'productcatalogservice', method: 'GetProduct' },
      { to: 'cartservice', method: 'AddItem' },
    ],
  },
  viewCart: {
    method: 'GET',
    path: '/cart',
    calls: [
      { to: 'currencyservice', method: 'GetSupportedCurrencies' },
      { to: 'cartservice', method: 'GetCart' },
      ...recommendations(true),
      { to: 'shippingservice', method: 'GetQuote' },
      { to: 'productcatalogservice', method: 'GetProduct', times: CART_ITEMS },
      { to: 'currencyservice', method: 'Convert', times: CART_ITEMS },
    ],
  },
  checkout: {
    method: 'POST',
    path: '/cart/checkout',
    calls: [
      { to: 'checkoutservice', method: 'PlaceOrder' },
      ...recommendations(true),
      { to: 'currencyservice', method: 'GetSupportedCurrencies' },
    ],
  },
};

/** The locust user's tasks, their weights, and the pages each requests in turn. */
export const USER_TASKS: { task: string; weight: number; pages: PageName[] }[] = [
  { task: 'index', weight: 1, pages: ['home'] },
  { task: 'setCurrency', weight: 2, pages: ['setCurrency'] },
  { task: 'browseProduct', weight: 10, pages: ['product'] },
  { task: 'addToCart', weight: 2, pages: ['product', 'addToCart'] },
  { task: 'viewCart', weight: 3, pages: ['viewCart'] },
  { task: 'checkout', weight: 1, pages: ['product', 'addToCart', 'checkout'] },
];

/** Each simulated user waits between 1 and 10 s between tasks (locust `between(1, 10)`). */
export const USER_WAIT_SECONDS = { min: 1, max: 10 } as const;

/** Page requests per second per user, by page (the task mix over the mean wait). */
export const pageRatesPerUser = (): Record<PageName, number> => {
  const totalWeight = USER_TASKS.reduce((sum, t) => sum + t.weight, 0);
  const tasksPerSecond = 1 / ((USER_WAIT_SECONDS.min + USER_WAIT_SECONDS.max) / 2);
  const rates = { home: 0, product: 0, setCurrency: 0, addToCart: 0, viewCart: 0, checkout: 0 };
  for (const t of USER_TASKS)
    for (const page of t.pages) rates[page] += (tasksPerSecond * t.weight) / totalWeight;
  return rates;
};

/** One edge of the call graph as a page request walks it: caller, callee, and calls per page. */
export interface Edge {
  from: Exclude<ShopWorkload, 'redis-cart'>;
  to: Exclude<ShopWorkload, 'loadgenerator'>;
  calls: number;
}

/**
 * Every call one request of the page causes, summed per edge, from the loadgenerator's request to
 * the frontend down to redis (optional calls included: they are made, the caller just survives
 * their failure).
 */
export const edgesOfPage = (page: PageName): Edge[] => {
  const counts = new Map<string, Edge>();
  const add = (from: Edge['from'], to: Edge['to'], calls: number) => {
    const key = `${from}>${to}`;
    const edge = counts.get(key) ?? { from, to, calls: 0 };
    edge.calls += calls;
    counts.set(key, edge);
  };
  const walk = (from: Edge['from'], calls: Call[], multiplier: number) => {
    for (const call of calls) {
      const n = multiplier * (call.times ?? 1);
      add(from, call.to, n);
      const nested = CALLS[call.to]?.[call.method];
      if (nested && call.to !== 'redis-cart') walk(call.to, nested, n);
    }
  };
  add('loadgenerator', 'frontend', 1);
  walk('frontend', PAGES[page].calls, 1);
  return [...counts.values()];
};
