// The map's cluster state: reset and delta messages folded into maps, with the versions that
// decide which parts of the map re-render.
import { describe, expect, it } from 'vitest';
import type { ClusterMessage, NodeView, PodView, WorkloadView } from '../../../core/contract/wire-types.ts';
import { ClusterStore } from '../../../renderer/src/views/map/cluster-store.ts';

const node = (name: string, pool: string, extra: Partial<NodeView> = {}): NodeView => ({
  name,
  pool,
  ready: true,
  schedulable: true,
  taints: [`pool=${pool}:NoSchedule`],
  createdAt: '2026-01-01T00:00:00Z',
  ...extra,
});

const pod = (name: string, nodeName: string, pool: string, extra: Partial<PodView> = {}): PodView => ({
  key: `shop/${name}`,
  name,
  namespace: 'shop',
  workload: name.replace(/-[a-z0-9]+$/, ''),
  node: nodeName,
  pool,
  phase: 'Running',
  ready: true,
  restarts: 0,
  createdAt: '2026-01-01T00:00:00Z',
  ...extra,
});

const workload = (name: string, pool: string, desired: number, available: number): WorkloadView => ({
  key: `shop/${name}`,
  name,
  namespace: 'shop',
  pool,
  desired,
  available,
  ready: available >= desired,
});

const reset = (at = 1000): ClusterMessage => ({
  type: 'reset',
  lab: 'demo',
  at,
  pools: [
    { name: 'frontend', taint: 'pool=frontend:NoSchedule', desiredNodes: 2 },
    { name: 'backend', taint: 'pool=backend:NoSchedule', desiredNodes: 2 },
  ],
  nodes: [node('backend-10', 'backend'), node('backend-2', 'backend'), node('frontend-1', 'frontend')],
  pods: [
    pod('cartservice-a1', 'backend-2', 'backend'),
    pod('adservice-b2', 'backend-2', 'backend'),
    pod('frontend-c3', 'frontend-1', 'frontend'),
  ],
  workloads: [workload('cartservice', 'backend', 1, 1), workload('frontend', 'frontend', 1, 1)],
});

const delta = (change: Partial<Extract<ClusterMessage, { type: 'delta' }>>): ClusterMessage => ({
  type: 'delta',
  nodes: [],
  pods: [],
  workloads: [],
  deletedNodes: [],
  deletedPods: [],
  deletedWorkloads: [],
  at: 2000,
  ...change,
});

describe('ClusterStore', () => {
  it('builds lanes, node groups and workloads from a reset', () => {
    const store = new ClusterStore();
    store.apply(reset());
    expect(store.loaded).toBe(true);
    expect(store.lab).toBe('demo');
    expect(store.at).toBe(1000);
    expect(store.pools().map((p) => p.name)).toEqual(['frontend', 'backend']);
    // natural order: backend-2 before backend-10
    expect(store.nodesIn('backend')).toEqual(['backend-2', 'backend-10']);
    expect(store.podsOn('backend-2').map((p) => p.name)).toEqual(['adservice-b2', 'cartservice-a1']);
    expect(store.podsOn('backend-10')).toEqual([]);
    expect(store.workloadList().map((w) => w.name)).toEqual(['cartservice', 'frontend']);
    expect(store.readiness('backend')).toEqual({ ready: 2, total: 2 });
  });

  it('moves a pod between nodes and re-versions only the nodes and lane involved', () => {
    const store = new ClusterStore();
    store.apply(reset());
    const before = {
      from: store.nodeVersion('backend-2'),
      to: store.nodeVersion('backend-10'),
      frontend: store.nodeVersion('frontend-1'),
      backendLane: store.laneVersion('backend'),
      frontendLane: store.laneVersion('frontend'),
      structure: store.structureVersion,
      workloads: store.workloadsVersion,
    };
    store.apply(delta({ pods: [pod('cartservice-a1', 'backend-10', 'backend')] }));
    expect(store.podsOn('backend-2').map((p) => p.name)).toEqual(['adservice-b2']);
    expect(store.podsOn('backend-10').map((p) => p.name)).toEqual(['cartservice-a1']);
    expect(store.nodeVersion('backend-2')).not.toBe(before.from);
    expect(store.nodeVersion('backend-10')).not.toBe(before.to);
    expect(store.laneVersion('backend')).not.toBe(before.backendLane);
    expect(store.nodeVersion('frontend-1')).toBe(before.frontend);
    expect(store.laneVersion('frontend')).toBe(before.frontendLane);
    expect(store.structureVersion).toBe(before.structure);
    expect(store.workloadsVersion).toBe(before.workloads);
    expect(store.at).toBe(2000);
  });

  it('keeps Pending pods in the tray until they are bound and running', () => {
    const store = new ClusterStore();
    store.apply(reset());
    const waiting = pod('cartservice-z9', '', 'backend', {
      phase: 'Pending',
      ready: false,
      unschedulable: ['backend: 0/2 nodes are available: 2 node(s) had untolerated taint'],
    });
    store.apply(delta({ pods: [waiting] }));
    expect(store.pendingPods().map((p) => p.name)).toEqual(['cartservice-z9']);
    expect(store.pendingPods()[0]?.unschedulable).toHaveLength(1);
    const pendingVersion = store.pendingVersion;
    store.apply(delta({ pods: [{ ...waiting, node: 'backend-10', phase: 'Running', ready: true }] }));
    expect(store.pendingPods()).toEqual([]);
    expect(store.pendingVersion).not.toBe(pendingVersion);
    expect(store.podsOn('backend-10').map((p) => p.name)).toEqual(['cartservice-z9']);
  });

  it('applies deletions of pods, nodes and workloads', () => {
    const store = new ClusterStore();
    store.apply(reset());
    const structure = store.structureVersion;
    store.apply(
      delta({
        deletedPods: ['shop/adservice-b2'],
        deletedNodes: ['backend-10'],
        deletedWorkloads: ['shop/frontend'],
      }),
    );
    expect(store.pods.has('shop/adservice-b2')).toBe(false);
    expect(store.podsOn('backend-2').map((p) => p.name)).toEqual(['cartservice-a1']);
    expect(store.nodesIn('backend')).toEqual(['backend-2']);
    expect(store.structureVersion).not.toBe(structure);
    expect(store.workloadList().map((w) => w.name)).toEqual(['cartservice']);
  });

  it('shows a node that failed as not ready without touching the lane structure', () => {
    const store = new ClusterStore();
    store.apply(reset());
    const structure = store.structureVersion;
    store.apply(delta({ nodes: [node('backend-2', 'backend', { ready: false, fault: 'not-ready' })] }));
    expect(store.nodes.get('backend-2')?.ready).toBe(false);
    expect(store.readiness('backend')).toEqual({ ready: 1, total: 2 });
    expect(store.structureVersion).toBe(structure);
  });

  it('gives a node that appears in an unknown pool its own lane after the topology pools', () => {
    const store = new ClusterStore();
    store.apply(reset());
    store.apply(delta({ nodes: [node('gpu-1', 'gpu')] }));
    expect(store.pools().map((p) => p.name)).toEqual(['frontend', 'backend', 'gpu']);
    expect(store.nodesIn('gpu')).toEqual(['gpu-1']);
  });

  it('marks the lab offline until the next message, and a reset replaces everything', () => {
    const store = new ClusterStore();
    store.apply(reset());
    store.apply({ type: 'offline', message: 'the API server does not answer', at: 3000 });
    expect(store.offline).toBe('the API server does not answer');
    expect(store.nodes.size).toBe(3);
    store.apply({
      type: 'reset',
      lab: 'demo',
      at: 4000,
      pools: [{ name: 'backend', taint: 'pool=backend:NoSchedule', desiredNodes: 1 }],
      nodes: [node('backend-7', 'backend')],
      pods: [],
      workloads: [],
    });
    expect(store.offline).toBeUndefined();
    expect(store.pools().map((p) => p.name)).toEqual(['backend']);
    expect(store.nodesIn('backend')).toEqual(['backend-7']);
    expect(store.pods.size).toBe(0);
    expect(store.podsOn('backend-2')).toEqual([]);
    expect(store.at).toBe(4000);
  });

  it('marks the view stale with the reason until a stale message without one or a reset', () => {
    const store = new ClusterStore();
    store.apply(reset());
    const reason =
      'the Pod watch could not be restarted (forbidden); what is shown of them may be out of date';
    store.apply({ type: 'stale', reason, at: 2000 });
    expect(store.stale).toBe(reason);
    expect(store.offline).toBeUndefined();
    // Deltas keep coming from the watches that run; the view stays marked.
    store.apply(delta({ nodes: [node('backend-3', 'backend')], at: 2500 }));
    expect(store.stale).toBe(reason);
    store.apply({ type: 'stale', reason: null, at: 3000 });
    expect(store.stale).toBeUndefined();
    store.apply({ type: 'stale', reason, at: 3500 });
    store.apply(reset(4000));
    expect(store.stale).toBeUndefined();
  });

  it('starts over empty for another lab', () => {
    const store = new ClusterStore();
    store.apply(reset());
    store.startOver('other');
    expect(store.loaded).toBe(false);
    expect(store.lab).toBe('other');
    expect(store.nodes.size).toBe(0);
    expect(store.pools()).toEqual([]);
  });

  it('folds 10,000 pods on 1,000 nodes and a burst of deltas quickly', () => {
    const store = new ClusterStore();
    const pools = ['frontend', 'backend', 'database', 'monitoring'];
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`n-${i}`, pools[i % 4] ?? 'backend'));
    const pods = Array.from({ length: 10_000 }, (_, i) => {
      const n = nodes[i % 1000]!;
      return pod(`w${i % 50}-${i}`, n.name, n.pool);
    });
    const started = performance.now();
    store.apply({
      type: 'reset',
      lab: 'big',
      at: 1,
      pools: pools.map((name) => ({ name, taint: `pool=${name}:NoSchedule`, desiredNodes: 250 })),
      nodes,
      pods,
      workloads: [],
    });
    for (let round = 0; round < 100; round += 1) {
      const moved = pods
        .slice(round * 50, round * 50 + 50)
        .map((p) => ({ ...p, node: `n-${(round * 7) % 1000}` }));
      store.apply(delta({ pods: moved, at: 10 + round }));
    }
    const elapsed = performance.now() - started;
    expect(store.pods.size).toBe(10_000);
    expect(store.nodesIn('backend')).toHaveLength(250);
    const total = [...store.nodes.keys()].reduce((sum, name) => sum + store.podsOn(name).length, 0);
    expect(total).toBe(10_000);
    // Generous for a shared 2-core machine; the point is "milliseconds, not seconds".
    expect(elapsed).toBeLessThan(2000);
  });
});
