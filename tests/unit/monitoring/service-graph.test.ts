// The service graph from Prometheus' answers: nodes by pool, edges with rate, error share and
// colour, TCP to Redis from the call graph, and "no traffic data" kept apart from "no traffic".
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { PromSample } from '../../../core/monitoring/prometheus-api.ts';
import { shopWorkloads } from '../../../core/monitoring/read-service-graph.ts';
import {
  buildServiceGraph,
  CALL_GRAPH_EDGES,
  edgeQueries,
  graphQueries,
  type ShopWorkloadState,
} from '../../../core/monitoring/service-graph.ts';
import { SHOP_WORKLOADS } from '../../../core/traffic/shop-calls.ts';

const POOL: Record<string, string> = {
  loadgenerator: 'frontend',
  frontend: 'frontend',
  'redis-cart': 'database',
};
const SHOP: ShopWorkloadState[] = SHOP_WORKLOADS.map((name) => ({
  name,
  pool: POOL[name] ?? 'backend',
  desired: 1,
  available: 1,
}));

const sample = (source: string, destination: string, value: number | string): PromSample => ({
  metric: { source_workload: source, destination_workload: destination },
  value: [1_700_000_000, String(value)],
});

/** Every call-graph edge but the TCP one at `rps` requests/s, as `sum by (source, destination)` answers. */
const healthy = (rps = 2): PromSample[] =>
  CALL_GRAPH_EDGES.filter((e) => e.destination !== 'redis-cart').map((e) =>
    sample(e.source, e.destination, rps),
  );

const edge = (graph: ReturnType<typeof buildServiceGraph>, id: string) => {
  const found = graph.edges.find((e) => e.id === id);
  if (!found) throw new Error(`no edge ${id} in ${graph.edges.map((e) => e.id).join(', ')}`);
  return found;
};

describe('the service graph', () => {
  it('has the shop’s twelve workloads in their pools, lanes in the topology’s order, and its sixteen calls', () => {
    const graph = buildServiceGraph(SHOP, { rps: healthy(), errors: [], p95Ms: [], redisFailures: [] });
    expect(graph.nodes).toHaveLength(12);
    expect(graph.pools).toEqual(['frontend', 'backend', 'database']);
    expect(graph.nodes.find((n) => n.id === 'redis-cart')?.pool).toBe('database');
    expect(graph.edges).toHaveLength(16);
    expect(graph.edges.every((e) => !e.failing && !e.idle)).toBe(true);
    expect(edge(graph, 'frontend>cartservice')).toMatchObject({ rps: 2, errorRatio: 0, metrics: 'istio' });
  });

  it('turns a failing edge red: errors over requests above the 1% objective, and its callee’s share too', () => {
    const graph = buildServiceGraph(SHOP, {
      rps: healthy(4),
      errors: [sample('frontend', 'cartservice', 1), sample('checkoutservice', 'cartservice', 0.02)],
      p95Ms: [sample('frontend', 'cartservice', 19_800), sample('frontend', 'adservice', 'NaN')],
      redisFailures: [{ metric: {}, value: [1_700_000_000, '1.02'] }],
    });
    expect(edge(graph, 'frontend>cartservice')).toMatchObject({
      errorRatio: 0.25,
      failing: true,
      p95Ms: 19_800,
    });
    // 0.5% is within the objective
    expect(edge(graph, 'checkoutservice>cartservice')).toMatchObject({ errorRatio: 0.005, failing: false });
    expect(edge(graph, 'frontend>adservice').p95Ms).toBeNull();
    expect(graph.nodes.find((n) => n.id === 'cartservice')?.errorRatio).toBeCloseTo(1.02 / 8);
    // Redis: no request count, its failures read from cartservice's FAILED_PRECONDITION answers
    expect(edge(graph, 'cartservice>redis-cart')).toMatchObject({
      protocol: 'tcp',
      metrics: 'inferred',
      rps: null,
      failing: true,
    });
    expect(edge(graph, 'cartservice>redis-cart').errorRatio).toBeCloseTo(1.02 / 8);
    expect(edge(graph, 'cartservice>redis-cart').note).toMatch(/^no metrics \(TCP\)/);
  });

  it('draws a call without requests in the window as idle, not failing', () => {
    const rps = healthy().map((s) =>
      s.metric.destination_workload === 'adservice'
        ? { ...s, value: [s.value[0], '0'] as [number, string] }
        : s,
    );
    const graph = buildServiceGraph(SHOP, { rps, errors: [], p95Ms: [], redisFailures: [] });
    expect(edge(graph, 'frontend>adservice')).toMatchObject({
      rps: 0,
      errorRatio: null,
      idle: true,
      failing: false,
    });
  });

  it('says "no traffic data" (null, not zero) when Prometheus has no Istio samples', () => {
    const graph = buildServiceGraph(SHOP, { rps: [], errors: [], p95Ms: [], redisFailures: [] });
    expect(graph.metricsPresent).toBe(false);
    expect(graph.edges.every((e) => e.rps === null && e.errorRatio === null && !e.failing)).toBe(true);
  });

  it('adds a call the metrics show between workloads it does not know, in an "unplaced" lane', () => {
    const graph = buildServiceGraph(SHOP, {
      rps: [...healthy(), sample('frontend', 'reviews', 1)],
      errors: [sample('frontend', 'reviews', 0.5)],
      p95Ms: [],
      redisFailures: [],
    });
    expect(graph.pools.at(-1)).toBe('unplaced');
    expect(graph.nodes.find((n) => n.id === 'reviews')).toMatchObject({ pool: 'unplaced', desired: null });
    expect(edge(graph, 'frontend>reviews')).toMatchObject({
      protocol: 'http',
      errorRatio: 0.5,
      failing: true,
    });
  });

  it('leaves out a call-graph edge whose workload is not deployed (a shop without its loadgenerator)', () => {
    const graph = buildServiceGraph(
      SHOP.filter((w) => w.name !== 'loadgenerator'),
      {
        rps: healthy().filter((s) => s.metric.source_workload !== 'loadgenerator'),
        errors: [],
        p95Ms: [],
        redisFailures: [],
      },
    );
    expect(graph.edges.map((e) => e.source)).not.toContain('loadgenerator');
  });
});

describe('the graph’s PromQL', () => {
  it('counts a gRPC call failed by its status and an HTTP call by 5xx or no response (0), as the model reports them', () => {
    const q = graphQueries();
    expect(q.errors).toContain('request_protocol="grpc", grpc_response_status!="0"');
    expect(q.errors).toContain('request_protocol!="grpc", response_code=~"0|5.."');
    expect(q.rps).toBe(
      'sum by (source_workload, destination_workload) (rate(istio_requests_total{reporter="destination"}[1m]))',
    );
    const cart = edgeQueries('frontend', 'cartservice', 'grpc');
    expect(cart.errorRatio).toContain(
      '{reporter="destination", source_workload="frontend", destination_workload="cartservice", request_protocol="grpc", grpc_response_status!="0"}',
    );
    expect(edgeQueries('loadgenerator', 'frontend', 'http').errorRatio).toContain('response_code=~"0|5.."');
  });
});

describe('the shop’s workloads and their pools', () => {
  const deployment = (name: string, pool?: string): V1Deployment => ({
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { spec: { containers: [], ...(pool ? { nodeSelector: { pool } } : {}) } },
    },
    status: { availableReplicas: 1 },
  });
  it('takes the pool from the nodeSelector, else from the node its pods run on', () => {
    const pods: V1Pod[] = [
      { metadata: { labels: { app: 'cartservice' } }, spec: { nodeName: 'n1', containers: [] } },
    ];
    const nodes: V1Node[] = [{ metadata: { name: 'n1', labels: { pool: 'backend' } } }];
    expect(
      shopWorkloads(
        [deployment('frontend', 'frontend'), deployment('cartservice'), deployment('x')],
        pods,
        nodes,
      ),
    ).toEqual([
      { name: 'frontend', pool: 'frontend', desired: 2, available: 1 },
      { name: 'cartservice', pool: 'backend', desired: 2, available: 1 },
      { name: 'x', pool: '', desired: 2, available: 1 },
    ]);
  });
});
