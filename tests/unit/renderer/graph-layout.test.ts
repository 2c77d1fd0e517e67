// The service graph's layout: lanes per pool in order, the same places on every refresh, no box on
// another, calls that skip a column routed between its boxes, labels in a gap never on each other.
import { describe, expect, it } from 'vitest';
import { buildServiceGraph, CALL_GRAPH_EDGES } from '../../../core/monitoring/service-graph.ts';
import { SHOP_WORKLOADS } from '../../../core/traffic/shop-calls.ts';
import { callDepths, layoutGraph, NODE_H, NODE_W } from '../../../renderer/src/views/graph/graph-layout.ts';

const POOL: Record<string, string> = {
  loadgenerator: 'frontend',
  frontend: 'frontend',
  'redis-cart': 'database',
};
const shop = buildServiceGraph(
  SHOP_WORKLOADS.map((name) => ({ name, pool: POOL[name] ?? 'backend', desired: 1, available: 1 })),
  { rps: [], errors: [], p95Ms: [], redisFailures: [] },
);

describe('the service graph layout', () => {
  const layout = layoutGraph(shop);

  it('puts the pools left to right and every workload inside its pool’s lane', () => {
    expect(layout.lanes.map((l) => l.pool)).toEqual(['frontend', 'backend', 'database']);
    for (const node of shop.nodes) {
      const at = layout.nodes.get(node.id)!;
      const lane = layout.lanes.find((l) => l.pool === node.pool)!;
      expect(at.x).toBeGreaterThanOrEqual(lane.x);
      expect(at.x + NODE_W).toBeLessThanOrEqual(lane.x + lane.width);
    }
  });

  it('orders the columns by call depth: loadgenerator, frontend, then checkout before the services it calls', () => {
    const depth = callDepths(shop);
    expect([depth.get('loadgenerator'), depth.get('frontend'), depth.get('checkoutservice')]).toEqual([
      0, 1, 2,
    ]);
    expect(depth.get('paymentservice')).toBe(3);
    const x = (id: string) => layout.nodes.get(id)!.x;
    expect(x('loadgenerator')).toBeLessThan(x('frontend'));
    expect(x('checkoutservice')).toBeLessThan(x('paymentservice'));
    expect(x('cartservice')).toBeLessThan(x('redis-cart'));
  });

  it('is the same on every call (no jitter between refreshes)', () => {
    expect(layoutGraph(shop)).toEqual(layout);
  });

  it('never puts a box on another, nor two labels of one gap on each other', () => {
    const boxes = [...layout.nodes.values()];
    for (const a of boxes)
      for (const b of boxes)
        if (a !== b) expect(Math.abs(a.x - b.x) >= NODE_W || Math.abs(a.y - b.y) >= NODE_H).toBe(true);
    const labels = layout.edges.map((e) => e.label);
    for (const [i, a] of labels.entries())
      for (const b of labels.slice(i + 1))
        if (Math.round(a.x) === Math.round(b.x)) expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(16);
  });

  it('routes a call that skips a column through a waypoint between that column’s boxes', () => {
    const skip = layout.edges.find((e) => e.id === 'frontend>cartservice')!;
    // a horizontal run (L) across the column of checkoutservice
    expect(skip.path).toMatch(/ L/);
    expect(CALL_GRAPH_EDGES).toHaveLength(16);
    expect(layout.edges).toHaveLength(16);
  });
});
