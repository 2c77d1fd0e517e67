// failZone and the zone checks, on a store of nodes in two zones: which nodes a zone outage
// fails, when a backend refuses it, and when Deployments count as spread or still serving.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../../../core/backends/cluster-backend.ts';
import { checkText } from '../../../core/scenarios/check-text.ts';
import { cannotRun, runAction } from '../../../core/scenarios/scenario-actions.ts';
import { evaluateCheck } from '../../../core/scenarios/scenario-checks.ts';
import type { ScenarioContext } from '../../../core/scenarios/scenario-context.ts';
import { checkSchema, actionSchema } from '../../../core/scenarios/scenario-schema.ts';

const node = (name: string, zone: string): V1Node => ({
  metadata: {
    name,
    labels: {
      pool: name.split('-')[0] ?? '',
      'topology.kubernetes.io/region': 'eu-west-1',
      'topology.kubernetes.io/zone': `eu-west-1${zone}`,
    },
  },
});
const pod = (app: string, nodeName: string, ready = true): V1Pod => ({
  metadata: { name: `${app}-${nodeName}`, namespace: 'shop', labels: { app } },
  spec: { containers: [], nodeName },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const deployment = (name: string, replicas: number, available: number, spread: boolean): V1Deployment => ({
  metadata: { name, generation: 2 },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      spec: {
        containers: [],
        ...(spread
          ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }] }
          : {}),
      },
    },
  },
  status: { observedGeneration: 2, updatedReplicas: replicas, availableReplicas: available },
});

const nodes = [node('frontend-1', 'a'), node('frontend-2', 'b'), node('backend-1', 'a'), node('backend-2', 'b'), node('database-1', 'a')];

const context = (pods: V1Pod[], deployments: V1Deployment[], failed: string[] = []) =>
  ({
    namespace: 'shop',
    lab: { name: 'lab-z' },
    backend: { failNode: async (_lab: unknown, n: string) => void failed.push(n) },
    store: { nodes: () => nodes, pods: () => pods, deployments: () => deployments, events: () => [] },
  }) as unknown as ScenarioContext;

const caps = (failNode: boolean, why?: string): Capabilities => ({
  failNode,
  growPool: true,
  shrinkPool: true,
  breakPods: [],
  unsupported: why ? { failNode: why } : {},
  notes: [],
});

describe('failZone', () => {
  it('fails every node of the zone, across pools', async () => {
    const failed: string[] = [];
    expect(await runAction(context([], [], failed), { failZone: { zone: 'b' } })).toBe(
      'failed zone b: backend-2, frontend-2',
    );
    expect(failed).toEqual(['backend-2', 'frontend-2']);
  });

  it('names the zones there are when no node is in the zone', async () => {
    await expect(runAction(context([], []), { failZone: { zone: 'c' } })).rejects.toMatchObject({
      message: 'failZone: no node of lab lab-z is in zone c',
      fix: 'use one of its zones: a, b',
    });
  });

  it("is refused where nodes cannot fail, with the backend's reason", () => {
    expect(cannotRun({ failZone: { zone: 'a' } }, caps(true), 'kind')).toBeUndefined();
    expect(cannotRun({ failZone: { zone: 'a' } }, caps(false, 'it only reads the cluster'), 'x')).toBe(
      'a zone fails node by node, and it only reads the cluster',
    );
  });

  it('takes a zone letter', () => {
    expect(actionSchema.safeParse({ failZone: { zone: 'eu-west-1a' } }).success).toBe(false);
    expect(actionSchema.parse({ failZone: { zone: 'b' } })).toEqual({ failZone: { zone: 'b' } });
  });
});

describe('spreadAcrossZones', () => {
  const since = new Date();
  const check = { spreadAcrossZones: { names: ['cart', 'ads'] } };

  it('holds when each Deployment is available with Ready pods in two zones and a zone constraint', async () => {
    const ctx = context(
      [pod('cart', 'backend-1'), pod('cart', 'backend-2'), pod('ads', 'backend-1'), pod('ads', 'backend-2')],
      [deployment('cart', 2, 2, true), deployment('ads', 2, 2, true)],
    );
    expect(await evaluateCheck(ctx, check, since)).toMatchObject({ ok: true, detail: '2 spread over 2+ zones' });
    expect(checkText(check)).toBe('cart and ads available with Ready pods in at least 2 zones');
  });

  it('names what is missing: the constraint, a second zone, a Ready pod there', async () => {
    const ctx = context(
      [pod('cart', 'backend-1'), pod('cart', 'backend-1'), pod('ads', 'backend-1'), pod('ads', 'backend-2', false)],
      [deployment('cart', 2, 2, true), deployment('ads', 2, 2, false)],
    );
    expect(await evaluateCheck(ctx, check, since)).toMatchObject({
      ok: false,
      detail:
        'not spread: cart (Ready pods in eu-west-1a), ads (no topology.kubernetes.io/zone spread constraint)',
    });
  });

  it('wants names or all, not both', () => {
    expect(checkSchema.safeParse({ spreadAcrossZones: {} }).success).toBe(false);
    expect(checkSchema.safeParse({ spreadAcrossZones: { all: true, names: ['cart'] } }).success).toBe(false);
  });
});

describe('deploymentsServing', () => {
  it('holds while each Deployment has an available pod, even short of its replicas', async () => {
    const ctx = context([], [deployment('cart', 2, 1, true), deployment('ads', 1, 0, false)]);
    expect(await evaluateCheck(ctx, { deploymentsServing: { names: ['cart'] } }, new Date())).toMatchObject({
      ok: true,
      detail: '1 serving',
    });
    expect(await evaluateCheck(ctx, { deploymentsServing: { all: true } }, new Date())).toMatchObject({
      ok: false,
      detail: 'no available pod: ads',
    });
    expect(checkText({ deploymentsServing: { all: true } })).toBe(
      'every Deployment serving from at least one available pod',
    );
  });
});
