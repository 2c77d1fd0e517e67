// kind's node names (its namer: <cluster>-<role><n>, config order), each pool's nodes, and the
// scale plans, including the refusal to grow a pool past its created size.
import { describe, expect, it } from 'vitest';
import {
  kindNodeNames,
  labKindConfig,
  planPoolScale,
  poolNodeNames,
} from '../../../core/backends/kind/nodes.ts';
import { KIND_NODE_IMAGE } from '../../../core/backends/kind/pins.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';

const topology = await loadTopology();

describe('kind node names', () => {
  it('follow kind’s namer in config order, with each worker’s pool', () => {
    expect(kindNodeNames(labKindConfig(topology, 'lab'))).toEqual([
      { name: 'lab-control-plane', role: 'control-plane' },
      { name: 'lab-worker', role: 'worker', pool: 'frontend' },
      { name: 'lab-worker2', role: 'worker', pool: 'frontend' },
      { name: 'lab-worker3', role: 'worker', pool: 'backend' },
      { name: 'lab-worker4', role: 'worker', pool: 'backend' },
      { name: 'lab-worker5', role: 'worker', pool: 'database' },
      { name: 'lab-worker6', role: 'worker', pool: 'monitoring' },
    ]);
  });

  it('a second control plane is <cluster>-control-plane2', () => {
    const three = { ...topology, controlPlane: { nodes: 3 } };
    expect(
      kindNodeNames(labKindConfig(three, 'x'))
        .slice(0, 3)
        .map((n) => n.name),
    ).toEqual(['x-control-plane', 'x-control-plane2', 'x-control-plane3']);
  });

  it('every node of the lab config runs the pinned image', () => {
    for (const node of labKindConfig(topology, 'lab').nodes) expect(node.image).toBe(KIND_NODE_IMAGE);
  });

  it('a pool’s nodes, and a clear error for a pool that does not exist', () => {
    expect(poolNodeNames(topology, 'lab', 'backend')).toEqual(['lab-worker3', 'lab-worker4']);
    expect(() => poolNodeNames(topology, 'lab', 'gpu')).toThrow(/there is no pool "gpu"/);
  });
});

describe('scaling a pool on kind', () => {
  const nodes = ['lab-worker', 'lab-worker2'];
  it('down pauses the last nodes (last first), up unpauses them', () => {
    expect(planPoolScale('frontend', nodes, new Set(), 0)).toEqual({
      pause: ['lab-worker2', 'lab-worker'],
      unpause: [],
    });
    expect(planPoolScale('frontend', nodes, new Set(nodes), 1)).toEqual({
      pause: [],
      unpause: ['lab-worker'],
    });
    expect(planPoolScale('frontend', nodes, new Set(['lab-worker2']), 2)).toEqual({
      pause: [],
      unpause: ['lab-worker2'],
    });
    expect(planPoolScale('frontend', nodes, new Set(), 2)).toEqual({ pause: [], unpause: [] });
  });

  it('refuses to grow a pool past its created size, saying why and what to do instead', () => {
    expect(() => planPoolScale('frontend', nodes, new Set(), 3)).toThrow(
      expect.objectContaining({
        name: 'KartStreamError',
        code: 'backend-unavailable',
        message:
          'the kind backend cannot grow pool frontend to 3 nodes: it was created with 2, and kind cannot add nodes to a running cluster',
        fix: expect.stringMatching(/at most 2.*recreate the lab.*--backend sim/),
      }),
    );
    expect(() => planPoolScale('frontend', nodes, new Set(), -1)).toThrow(/whole number/);
  });
});
