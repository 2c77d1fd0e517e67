import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  loadTopology,
  nodeZone,
  nodesInZone,
  renderSimNode,
  zonesOfNodes,
} from '../../../core/topology/index.ts';
import type { Topology } from '../../../core/topology/schema.ts';
import { zoneOfPoolNode } from '../../../core/topology/zones.ts';

const withPool = (topology: Topology, pool: string, change: object): Topology => ({
  ...topology,
  pools: topology.pools.map((p) => (p.name === pool ? { ...p, ...change } : p)),
});

const node = (name: string, labels: Record<string, string>): V1Node => ({ metadata: { name, labels } });

describe('zones of pool nodes', () => {
  it('goes round-robin, so the first N nodes of any pool size are spread (what pool scale keeps)', async () => {
    const topology = { ...(await loadTopology()), zones: ['a', 'b', 'c'] } as Topology;
    const backend = topology.pools[1]!;
    expect([1, 2, 3, 4, 5].map((i) => zoneOfPoolNode(topology, backend, i))).toEqual([
      'a',
      'b',
      'c',
      'a',
      'b',
    ]);
  });

  it("follows a pool's own zones when it has them", async () => {
    const topology = withPool(await loadTopology(), 'database', { zones: ['b'], nodes: 2 });
    const database = topology.pools.find((p) => p.name === 'database')!;
    expect(
      [1, 2].map(
        (i) => renderSimNode(topology, database, i).metadata?.labels?.['topology.kubernetes.io/zone'],
      ),
    ).toEqual(['eu-west-1b', 'eu-west-1b']);
  });

  it('names zones by the topology region', async () => {
    const topology = await loadTopology();
    const other = { ...topology, eks: { ...topology.eks, region: 'us-east-2' } };
    expect(renderSimNode(other, other.pools[0]!, 2).metadata?.labels).toMatchObject({
      'topology.kubernetes.io/zone': 'us-east-2b',
      'topology.kubernetes.io/region': 'us-east-2',
    });
  });
});

describe('zones of live nodes', () => {
  const nodes = [
    node('backend-2', {
      'topology.kubernetes.io/zone': 'eu-west-1b',
      'topology.kubernetes.io/region': 'eu-west-1',
    }),
    node('frontend-1', {
      'topology.kubernetes.io/zone': 'eu-west-1a',
      'topology.kubernetes.io/region': 'eu-west-1',
    }),
    node('frontend-2', {
      'topology.kubernetes.io/zone': 'eu-west-1b',
      'topology.kubernetes.io/region': 'eu-west-1',
    }),
    node('control-plane', {}),
  ];

  it('reads the letter from the zone label less the region label (sim, kind and EKS alike)', () => {
    expect(nodes.map(nodeZone)).toEqual(['b', 'a', 'b', undefined]);
    expect(nodeZone(node('x', { 'topology.kubernetes.io/zone': 'zone-1' }))).toBe('zone-1');
  });

  it('finds the nodes of a zone across pools, by letter or by full name', () => {
    expect(nodesInZone(nodes, 'b')).toEqual(['backend-2', 'frontend-2']);
    expect(nodesInZone(nodes, 'eu-west-1a')).toEqual(['frontend-1']);
    expect(nodesInZone(nodes, 'c')).toEqual([]);
    expect(zonesOfNodes(nodes)).toEqual(['a', 'b']);
  });
});
