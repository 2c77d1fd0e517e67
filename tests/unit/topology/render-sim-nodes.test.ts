import { describe, expect, it } from 'vitest';
import { loadTopology, renderSimNodes } from '../../../core/topology/index.ts';

describe('renderSimNodes', () => {
  it('renders one KWOK node per pool node with the pool label, taint and capacity', async () => {
    const topology = await loadTopology();
    const nodes = renderSimNodes(topology);
    expect(nodes.map((n) => n.metadata?.name)).toEqual([
      'frontend-1',
      'frontend-2',
      'backend-1',
      'backend-2',
      'database-1',
      'monitoring-1',
    ]);
    for (const node of nodes) {
      const pool = topology.pools.find((p) => p.name === node.metadata?.labels?.pool);
      expect(pool).toBeDefined();
      expect(node.metadata?.annotations?.['kwok.x-k8s.io/node']).toBe('fake');
      // metrics-server scrapes kwok's per-node resource metrics at this path (kubectl top).
      expect(node.metadata?.annotations?.['metrics.k8s.io/resource-metrics-path']).toBe(
        `/metrics/nodes/${node.metadata?.name}/metrics/resource`,
      );
      expect(node.spec?.taints).toEqual([{ key: 'pool', value: pool?.name, effect: 'NoSchedule' }]);
      expect(node.status?.allocatable).toEqual({
        cpu: pool?.capacity.cpu,
        memory: pool?.capacity.memory,
        pods: '110',
      });
    }
  });

  it("spreads each pool over the topology's zones, named like the region's, with the region label", async () => {
    const nodes = renderSimNodes(await loadTopology());
    expect(nodes.map((n) => [n.metadata?.name, n.metadata?.labels?.['topology.kubernetes.io/zone']])).toEqual(
      [
        ['frontend-1', 'eu-west-1a'],
        ['frontend-2', 'eu-west-1b'],
        ['backend-1', 'eu-west-1a'],
        ['backend-2', 'eu-west-1b'],
        ['database-1', 'eu-west-1a'],
        ['monitoring-1', 'eu-west-1a'],
      ],
    );
    for (const node of nodes)
      expect(node.metadata?.labels?.['topology.kubernetes.io/region']).toBe('eu-west-1');
  });
});
