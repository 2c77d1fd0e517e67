// The service graph from Prometheus: the PromQL that reads each edge's rate, error share and p95
// from Istio's request metrics, and the pure step from those results (plus the shop's
// Deployments) to nodes and edges. The same queries work on a sim lab (the traffic model's series)
// and on any cluster with an Istio mesh. Calls to Redis are TCP, which Istio does not count as
// requests: that edge comes from the call graph and its error share from cartservice's answers.
import type { GraphEdge, GraphNode, ServiceGraph } from '../contract/graph-types.ts';
import type { PromSample } from './prometheus-api.ts';
import { REQUIRED_POOLS } from '../topology/schema.ts';
import { edgesOfPage, PAGES, SERVICE_PORTS, type PageName } from '../traffic/shop-calls.ts';

/** The rate window of the graph: long enough for a few 5 s scrapes, short enough to show a fault. */
export const GRAPH_WINDOW = '1m';
/** An edge failing more than 1% of its calls is drawn red. */
export const EDGE_ERROR_OBJECTIVE = 0.01;
export const UNPLACED = 'unplaced';

const METRIC = 'istio_requests_total';
const DURATION = 'istio_request_duration_milliseconds_bucket';
const BY = 'source_workload, destination_workload';
/** cartservice answers FAILED_PRECONDITION when Redis fails (RedisCartStore.cs). */
const REDIS_FAILED_GRPC_STATUS = '9';

/** A failed call as Istio reports it: a gRPC status other than OK, or HTTP 5xx / 0 (no response). */
const ERROR_MATCHERS = {
  grpc: 'request_protocol="grpc", grpc_response_status!="0"',
  other: 'request_protocol!="grpc", response_code=~"0|5.."',
} as const;

const selector = (...matchers: string[]) => `{${['reporter="destination"', ...matchers].join(', ')}}`;

/** The three queries that read every edge at once. */
export const graphQueries = (window = GRAPH_WINDOW) => ({
  rps: `sum by (${BY}) (rate(${METRIC}${selector()}[${window}]))`,
  // Each edge has one protocol, so the two halves never hold the same label set.
  errors:
    `sum by (${BY}) (rate(${METRIC}${selector(ERROR_MATCHERS.grpc)}[${window}]))\nor\n` +
    `sum by (${BY}) (rate(${METRIC}${selector(ERROR_MATCHERS.other)}[${window}]))`,
  p95Ms: `histogram_quantile(0.95, sum by (${BY}, le) (rate(${DURATION}${selector()}[${window}])))`,
  redisFailures: `sum(rate(${METRIC}${selector(`destination_workload="cartservice"`, `grpc_response_status="${REDIS_FAILED_GRPC_STATUS}"`)}[${window}]))`,
});

/** One edge's own queries, to copy into Prometheus or Grafana. */
export const edgeQueries = (
  source: string,
  destination: string,
  protocol: GraphEdge['protocol'],
  window = GRAPH_WINDOW,
): GraphEdge['promql'] => {
  const pair = [`source_workload="${source}"`, `destination_workload="${destination}"`];
  const all = `sum(rate(${METRIC}${selector(...pair)}[${window}]))`;
  const failed = protocol === 'grpc' ? ERROR_MATCHERS.grpc : ERROR_MATCHERS.other;
  return {
    rps: all,
    errorRatio: `(sum(rate(${METRIC}${selector(...pair, failed)}[${window}])) or vector(0))\n/\n${all}`,
    p95Ms: `histogram_quantile(0.95, sum by (le) (rate(${DURATION}${selector(...pair)}[${window}])))`,
  };
};

/** The cart→redis edge's queries: no request metrics, cartservice's Redis failures instead. */
export const redisEdgeQueries = (window = GRAPH_WINDOW): GraphEdge['promql'] => {
  const cart = `sum(rate(${METRIC}${selector('destination_workload="cartservice"')}[${window}]))`;
  return {
    rps: `# none: Istio counts TCP connections and bytes, not Redis commands`,
    errorRatio: `(${graphQueries(window).redisFailures} or vector(0))\n/\n${cart}`,
  };
};

export interface ShopWorkloadState {
  name: string;
  pool: string;
  desired: number;
  available: number;
}

export interface GraphSamples {
  rps: PromSample[];
  errors: PromSample[];
  p95Ms: PromSample[];
  redisFailures: PromSample[];
}

/** Every caller→callee pair of the shop's call graph, in the order a page walks them. */
export const CALL_GRAPH_EDGES: { source: string; destination: string }[] = (() => {
  const seen = new Map<string, { source: string; destination: string }>();
  for (const page of Object.keys(PAGES) as PageName[])
    for (const e of edgesOfPage(page)) seen.set(`${e.from}>${e.to}`, { source: e.from, destination: e.to });
  return [...seen.values()];
})();

// A workload outside the shop's call graph is taken as HTTP (its errors are 5xx and 0).
const protocolOf = (destination: string): GraphEdge['protocol'] =>
  (SERVICE_PORTS as Record<string, { protocol: GraphEdge['protocol'] } | undefined>)[destination]?.protocol ??
  'http';

const number = (s: PromSample | undefined): number | null => {
  if (!s) return null;
  const v = Number(s.value[1]);
  return Number.isFinite(v) ? v : null;
};

const pairKey = (m: Record<string, string>) => `${m.source_workload ?? ''}>${m.destination_workload ?? ''}`;

const byPair = (samples: PromSample[]) => new Map(samples.map((s) => [pairKey(s.metric), s]));

/** Pools in lane order: the topology's own pools first, then any other, `unplaced` last. */
export const poolOrder = (pools: Iterable<string>): string[] => {
  const rank = (p: string) => {
    const i = (REQUIRED_POOLS as readonly string[]).indexOf(p);
    return i >= 0 ? i : p === UNPLACED ? 1000 : 100;
  };
  return [...new Set(pools)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
};

/** The graph from the queries' results and the shop's Deployments. */
export const buildServiceGraph = (
  workloads: ShopWorkloadState[],
  samples: GraphSamples,
  options: { window?: string; objective?: number } = {},
): Pick<ServiceGraph, 'window' | 'objective' | 'metricsPresent' | 'pools' | 'nodes' | 'edges'> => {
  const window = options.window ?? GRAPH_WINDOW;
  const objective = options.objective ?? EDGE_ERROR_OBJECTIVE;
  const rps = byPair(samples.rps);
  const errors = byPair(samples.errors);
  const p95 = byPair(samples.p95Ms);
  const metricsPresent = samples.rps.length > 0;

  const nodes = new Map<string, GraphNode>(
    workloads.map((w) => [
      w.name,
      { id: w.name, pool: w.pool || UNPLACED, desired: w.desired, available: w.available, errorRatio: null },
    ]),
  );
  // The call graph's edges between Deployments that exist, then any other edge the metrics show.
  const pairs = new Map<string, { source: string; destination: string }>();
  for (const e of CALL_GRAPH_EDGES)
    if (nodes.has(e.source) && nodes.has(e.destination)) pairs.set(`${e.source}>${e.destination}`, e);
  for (const s of samples.rps) {
    const source = s.metric.source_workload;
    const destination = s.metric.destination_workload;
    if (!source || !destination || source === 'unknown') continue;
    if (!pairs.has(pairKey(s.metric))) pairs.set(pairKey(s.metric), { source, destination });
    for (const id of [source, destination])
      if (!nodes.has(id))
        nodes.set(id, { id, pool: UNPLACED, desired: null, available: null, errorRatio: null });
  }

  const inbound = new Map<string, { rps: number; errors: number }>();
  const edges: GraphEdge[] = [...pairs.entries()].map(([id, { source, destination }]) => {
    const protocol = protocolOf(destination);
    if (protocol === 'tcp') {
      // Only cart→redis has a sign of its failures: cartservice's FAILED_PRECONDITION answers.
      const isRedis = source === 'cartservice' && destination === 'redis-cart';
      const cartServed = [...rps.entries()]
        .filter(([key]) => key.endsWith('>cartservice'))
        .reduce((sum, [, s]) => sum + (number(s) ?? 0), 0);
      const failures = number(samples.redisFailures[0]) ?? 0;
      const errorRatio = isRedis && metricsPresent && cartServed > 0 ? failures / cartServed : null;
      return {
        id,
        source,
        destination,
        protocol,
        metrics: 'inferred',
        rps: null,
        errorRatio,
        p95Ms: null,
        failing: errorRatio !== null && errorRatio > objective,
        idle: isRedis ? metricsPresent && cartServed === 0 : true,
        note: isRedis
          ? 'no metrics (TCP): Istio does not count Redis commands; the error share is the share of cartservice requests answered FAILED_PRECONDITION, its sign that Redis failed'
          : 'no metrics (TCP)',
        promql: isRedis ? redisEdgeQueries(window) : { rps: '# none (TCP)', errorRatio: '# none (TCP)' },
      };
    }
    const rate = metricsPresent ? (number(rps.get(id)) ?? 0) : null;
    const failed = metricsPresent ? (number(errors.get(id)) ?? 0) : null;
    const errorRatio = rate && failed !== null ? failed / rate : null;
    if (rate !== null) {
      const total = inbound.get(destination) ?? { rps: 0, errors: 0 };
      inbound.set(destination, { rps: total.rps + rate, errors: total.errors + (failed ?? 0) });
    }
    return {
      id,
      source,
      destination,
      protocol,
      metrics: 'istio',
      rps: rate,
      errorRatio,
      p95Ms: number(p95.get(id)),
      failing: errorRatio !== null && errorRatio > objective,
      idle: rate === 0,
      promql: edgeQueries(source, destination, protocol, window),
    };
  });
  for (const [id, total] of inbound) {
    const node = nodes.get(id);
    if (node && total.rps > 0) node.errorRatio = total.errors / total.rps;
  }

  const list = [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  return {
    window,
    objective,
    metricsPresent,
    pools: poolOrder(list.map((n) => n.pool)),
    nodes: list,
    edges,
  };
};
