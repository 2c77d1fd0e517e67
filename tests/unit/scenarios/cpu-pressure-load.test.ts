// The cpu-pressure scenario's numbers hold in the traffic model (docs/traffic.md): with the
// shop's own CPU limits, its usual load keeps the frontend's one-minute p95 under the 200 ms
// objective, the tripled load pushes one frontend over it, and two or three frontends (a
// learner's replicas, or an autoscaler's minimum) bring it back under. A change to the model's
// parameters that breaks the scenario fails here, not in a lab.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../core/scenarios/load-scenario.ts';
import { SCENARIOS_DIR } from '../../../core/scenarios/catalog.ts';
import type { Action } from '../../../core/scenarios/scenario-types.ts';
import { cpuMillis } from '../../../core/kube/quantity.ts';
import { SHOP_WORKLOADS, type ShopWorkload } from '../../../core/traffic/shop-calls.ts';
import {
  createTrafficModel,
  LATENCY_BUCKETS_MS,
  type ShopPod,
  type ShopView,
} from '../../../core/traffic/traffic-model.ts';

const repo = join(import.meta.dirname, '../../..');
const OBJECTIVE_MS = 200;

// CPU limits of the shop's first containers, as the manifests set them.
const limits = new Map(
  [
    ...readdirSync(join(repo, 'manifests/base')).map((f) => join(repo, 'manifests/base', f)),
    join(repo, 'manifests/components/loadgenerator/loadgenerator.yaml'),
  ]
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS()))
    .filter((o) => o?.kind === 'Deployment')
    .map((o) => [o.metadata.name, cpuMillis(String(o.spec.template.spec.containers[0].resources.limits.cpu))]),
);

const view = (users: number, frontends: number): ShopView => {
  const pod = (workload: ShopWorkload, i: number): ShopPod => ({
    name: `${workload}-${i}`,
    namespace: 'shop',
    labels: { app: workload },
    ready: true,
    cpuLimitMillicores: limits.get(workload),
  });
  const count = (w: ShopWorkload) => (w === 'frontend' ? frontends : 1);
  return {
    pods: Object.fromEntries(SHOP_WORKLOADS.map((w) => [w, Array.from({ length: count(w) }, (_, i) => pod(w, i))])),
    policies: { policies: [], namespaceLabels: {} },
    users,
  };
};

// Prometheus' histogram_quantile: linear within the bucket the rank falls in.
const quantile = (q: number, cumulative: number[]): number => {
  const rank = q * cumulative.at(-1)!;
  const i = cumulative.findIndex((c) => c >= rank);
  const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
  const below = i === 0 ? 0 : cumulative[i - 1]!;
  return lower + ((LATENCY_BUCKETS_MS[i]! - lower) * (rank - below)) / (cumulative[i]! - below);
};

// The frontend's p95 over each minute (12 steps of 5 s, as the lab agent plays them), after a
// minute for the model's CPU pressure to settle.
const minutelyP95 = (users: number, frontends: number, seed: number): number[] => {
  const model = createTrafficModel(seed);
  const steps = Array.from({ length: 48 }, () => {
    const buckets = LATENCY_BUCKETS_MS.map(() => 0);
    for (const edge of model.step(view(users, frontends), 5).edges)
      if (edge.to === 'frontend') edge.latencyBuckets.forEach((n, i) => (buckets[i]! += n));
    return buckets;
  });
  return Array.from({ length: steps.length - 23 }, (_, k) => {
    const window = steps.slice(k + 12, k + 24);
    return quantile(0.95, LATENCY_BUCKETS_MS.map((_, i) => window.reduce((sum, b) => sum + b[i]!, 0)));
  });
};

const usersOf = (actions: Action[]): number => {
  const set = actions.find((a) => 'setLoad' in a);
  if (!set || !('setLoad' in set)) throw new Error('no setLoad action');
  return set.setLoad.users;
};

describe('cpu-pressure in the traffic model', async () => {
  const { scenario } = await loadScenarioFile(join(SCENARIOS_DIR, 'cpu-pressure.yaml'));
  const usual = usersOf(scenario.setup);
  const rush = usersOf(scenario.steps[0]!.do);

  it('triples the load', () => {
    expect(rush).toBe(usual * 3);
  });

  it.each([1, 2, 3])('seed %i: under the objective as usual, over it in the rush, under it again with 2 or 3 frontends', (seed) => {
    expect(Math.max(...minutelyP95(usual, 1, seed))).toBeLessThan(OBJECTIVE_MS);
    expect(Math.min(...minutelyP95(rush, 1, seed))).toBeGreaterThan(OBJECTIVE_MS);
    expect(Math.max(...minutelyP95(rush, 2, seed))).toBeLessThan(OBJECTIVE_MS);
    expect(Math.max(...minutelyP95(rush, 3, seed))).toBeLessThan(OBJECTIVE_MS);
  });
});
