// The wire views the cluster feed sends, built from the objects the engine itself renders (the
// shipped topology's sim nodes) and from pods as the API returns them.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FAULT_LABEL } from '../../../core/backends/sim/pod-faults.ts';
import { nodeView, podView, poolViews, workloadView } from '../../../core/server/cluster-views.ts';
import { explainPending } from '../../../core/stack/explain-pending.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';
import { renderSimNodes } from '../../../core/topology/render-sim-nodes.ts';

const topology = await loadTopology();
const nodes = renderSimNodes(topology);

const pod = (overrides: Partial<V1Pod> = {}): V1Pod => ({
  metadata: {
    name: 'cartservice-abc',
    namespace: 'shop',
    labels: { app: 'cartservice' },
    creationTimestamp: new Date('2025-01-01T00:00:00Z'),
  },
  spec: {
    containers: [{ name: 'server' }],
    nodeSelector: { pool: 'backend' },
    tolerations: [{ key: 'pool', operator: 'Equal', value: 'backend', effect: 'NoSchedule' }],
  },
  ...overrides,
});

describe('cluster feed views', () => {
  it('gives each pool of the topology its taint and desired size', () => {
    expect(poolViews(topology)).toEqual(
      topology.pools.map((p) => ({
        name: p.name,
        taint: `${p.taint.key}=${p.taint.value}:${p.taint.effect}`,
        desiredNodes: p.nodes,
      })),
    );
  });

  it('shows a node with its pool, taints, readiness, cordon and fault', () => {
    const node = structuredClone(nodes.find((n) => n.metadata?.name === 'backend-1'));
    expect(node).toBeDefined();
    if (!node) return;
    expect(nodeView(node)).toMatchObject({
      name: 'backend-1',
      pool: 'backend',
      ready: false,
      schedulable: true,
      taints: ['pool=backend:NoSchedule'],
    });
    node.status = { ...node.status, conditions: [{ type: 'Ready', status: 'True' }] };
    node.spec = { ...node.spec, unschedulable: true };
    node.metadata = { ...node.metadata, labels: { ...node.metadata?.labels, [FAULT_LABEL]: 'not-ready' } };
    expect(nodeView(node)).toMatchObject({ ready: true, schedulable: false, fault: 'not-ready' });
  });

  it('shows a running pod on its node and pool with its restarts', () => {
    const running = pod({
      spec: { containers: [{ name: 'server' }], nodeSelector: { pool: 'backend' }, nodeName: 'backend-2' },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'server', ready: true, restartCount: 3, image: 'x', imageID: 'x' },
          { name: 'sidecar', ready: true, restartCount: 1, image: 'x', imageID: 'x' },
        ],
      },
    });
    expect(podView(running, 'backend')).toEqual({
      key: 'shop/cartservice-abc',
      name: 'cartservice-abc',
      namespace: 'shop',
      workload: 'cartservice',
      node: 'backend-2',
      pool: 'backend',
      phase: 'Running',
      ready: true,
      restarts: 4,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
  });

  it('explains a Pending pod in terms of the pools, and marks a deleted one Terminating', () => {
    const pending = pod({
      spec: { containers: [{ name: 'server' }], nodeSelector: { pool: 'backend' }, tolerations: [] },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/6 nodes are available',
          },
        ],
      },
    });
    const view = podView(pending, '', explainPending(pending, nodes));
    expect(view).toMatchObject({ node: '', pool: '', phase: 'Pending', ready: false });
    expect(view.reason).toBe('0/6 nodes are available');
    expect(view.unschedulable).toContain(
      '2 node(s) of pool backend have the taint pool=backend:NoSchedule, which the pod does not tolerate',
    );
    const leaving = pod({
      metadata: { ...pod().metadata, deletionTimestamp: new Date() },
      status: { phase: 'Running' },
    });
    expect(podView(leaving, 'backend').phase).toBe('Terminating');
  });

  it('shows a workload with its pool and availability', () => {
    const deployment: V1Deployment = {
      metadata: { name: 'cartservice', namespace: 'shop', generation: 2 },
      spec: {
        replicas: 2,
        selector: {},
        template: { spec: { containers: [], nodeSelector: { pool: 'backend' } } },
      },
      status: { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 1 },
    };
    expect(workloadView(deployment)).toEqual({
      key: 'shop/cartservice',
      name: 'cartservice',
      namespace: 'shop',
      pool: 'backend',
      desired: 2,
      available: 1,
      ready: false,
    });
  });
});
