// The checks of a node drain: which nodes of a pool are cordoned (and drained), and whether a
// PodDisruptionBudget keeps a service's pods while still allowing an eviction.
import type { V1Node, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { judgeBudgets } from '../../../core/scenarios/checks/disruption-budget.ts';
import { evaluateCheck } from '../../../core/scenarios/scenario-checks.ts';
import type { ScenarioContext } from '../../../core/scenarios/scenario-context.ts';
import type { Check } from '../../../core/scenarios/scenario-types.ts';

const node = (name: string, unschedulable: boolean): V1Node => ({
  metadata: { name, labels: { pool: name.split('-')[0] ?? '' } },
  spec: { unschedulable },
});
const pod = (name: string, nodeName: string, extra: Partial<V1Pod['metadata']> = {}): V1Pod => ({
  metadata: { name, namespace: 'shop', labels: { app: name }, ...extra },
  spec: { containers: [], nodeName },
  status: { phase: 'Running' },
});
const clusterWith = (nodes: V1Node[], pods: V1Pod[]) =>
  ({ namespace: 'shop', store: { nodes: () => nodes, pods: () => pods } }) as unknown as ScenarioContext;

const outcome = async (ctx: ScenarioContext, check: Check) => {
  const { ok, detail } = await evaluateCheck(ctx, check, new Date());
  return { ok, detail };
};

describe('nodesCordoned', () => {
  const daemon = pod('node-exporter', 'backend-1', { ownerReferences: [{ kind: 'DaemonSet', name: 'x', uid: '1', apiVersion: 'apps/v1' }] });
  const leaving = pod('cartservice', 'backend-1', { deletionTimestamp: new Date() });

  it('counts the cordoned nodes of the pool only', async () => {
    const ctx = clusterWith([node('backend-1', true), node('backend-2', false), node('frontend-1', true)], []);
    expect(await outcome(ctx, { nodesCordoned: { pool: 'backend', count: 1 } })).toEqual({
      ok: true,
      detail: '1 cordoned in backend (backend-1), want 1',
    });
    expect((await outcome(ctx, { nodesCordoned: { pool: 'backend', count: 0 } })).ok).toBe(false);
  });

  it('calls a cordoned node drained once only DaemonSet pods and pods on their way out are left', async () => {
    const nodes = [node('backend-1', true), node('backend-2', false)];
    const drained = clusterWith(nodes, [daemon, leaving, pod('productcatalogservice', 'backend-2')]);
    expect((await outcome(drained, { nodesCordoned: { pool: 'backend', count: 1, drained: true } })).ok).toBe(true);
    const stillThere = clusterWith(nodes, [daemon, pod('productcatalogservice', 'backend-1')]);
    expect(await outcome(stillThere, { nodesCordoned: { pool: 'backend', count: 1, drained: true } })).toEqual({
      ok: false,
      detail: '1 cordoned in backend (backend-1), want 1; pods still on backend-1: 1',
    });
    // cordoned alone is enough when drained is not asked for
    expect((await outcome(stillThere, { nodesCordoned: { pool: 'backend', count: 1 } })).ok).toBe(true);
  });
});

describe('judgeBudgets', () => {
  const budget = (name: string, spec: V1PodDisruptionBudget['spec'], allowed: number, healthy: number): V1PodDisruptionBudget => ({
    metadata: { name },
    spec,
    status: { disruptionsAllowed: allowed, currentHealthy: healthy, desiredHealthy: 1, expectedPods: healthy, observedGeneration: 1 },
  });
  const catalog = { matchLabels: { app: 'productcatalogservice' } };

  it('passes a budget that keeps enough pods and allows an eviction now', () => {
    expect(judgeBudgets([budget('pcs', { minAvailable: 1, selector: catalog }, 1, 2)], 'app=productcatalogservice', 1)).toEqual({
      ok: true,
      detail: 'pcs: minAvailable 1, 2 healthy, 1 disruption(s) allowed',
    });
  });

  it('fails the budget over a single replica, which blocks every drain', () => {
    expect(judgeBudgets([budget('pcs', { minAvailable: 1, selector: catalog }, 0, 1)], 'app=productcatalogservice', 1)).toEqual({
      ok: false,
      detail: 'pcs: minAvailable 1, 1 healthy, 0 disruption(s) allowed',
    });
  });

  it('fails a budget that keeps too few, one of another service, and no budget at all', () => {
    expect(judgeBudgets([budget('pcs', { minAvailable: 1, selector: catalog }, 2, 3)], 'app=productcatalogservice', 2).ok).toBe(false);
    expect(judgeBudgets([budget('pcs', { maxUnavailable: 1, selector: catalog }, 1, 2)], 'app=productcatalogservice', 1).ok).toBe(false);
    const cart = budget('cart', { minAvailable: 1, selector: { matchLabels: { app: 'cartservice' } } }, 1, 2);
    expect(judgeBudgets([cart], 'app=productcatalogservice', 1)).toEqual({
      ok: false,
      detail: 'no PodDisruptionBudget selects app=productcatalogservice',
    });
    expect(judgeBudgets([], 'app=productcatalogservice', 1).ok).toBe(false);
  });
});
