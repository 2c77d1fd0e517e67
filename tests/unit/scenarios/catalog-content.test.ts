// The shipped scenarios are held to the rest of the repository: every Deployment, pool, node and
// alert they name exists, rollbacks return the lab to its baseline, and each step's solution is
// enough for its learnerRan check (auto-solve runs the solution and nothing else).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { listScenarios } from '../../../core/scenarios/catalog.ts';
import {
  actionName,
  checkName,
  type Action,
  type Check,
  type LoadedScenario,
} from '../../../core/scenarios/scenario-types.ts';
import { loadTopology } from '../../../core/topology/index.ts';

const repo = join(import.meta.dirname, '../../..');

// The shop's Deployments: the base, and the loadgenerator that sim labs always run.
const shopDeployments = ['manifests/base', 'manifests/components/loadgenerator']
  .flatMap((dir) =>
    readdirSync(join(repo, dir))
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .map((f) => join(repo, dir, f)),
  )
  .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')))
  .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } })
  .filter((o) => o.kind === 'Deployment')
  .map((o) => o.metadata?.name ?? '');

const ruleAlerts = (
  parse(readFileSync(join(repo, 'manifests/monitoring/rules/kartstream-alerts.yaml'), 'utf8')) as {
    groups: { rules: { alert?: string }[] }[];
  }
).groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));

const args = (item: Action | Check): Record<string, unknown> =>
  Object.values(item)[0] as Record<string, unknown>;

let catalog: LoadedScenario[] = [];
let poolNodes = new Map<string, number>();

beforeAll(async () => {
  catalog = await listScenarios();
  poolNodes = new Map((await loadTopology()).pools.map((p) => [p.name, p.nodes]));
});

const everyAction = (l: LoadedScenario): Action[] => [
  ...l.scenario.setup,
  ...l.scenario.steps.flatMap((s) => s.do),
  ...l.scenario.rollback,
];
const everyCheck = (l: LoadedScenario): Check[] => [
  ...l.scenario.steadyState,
  ...l.scenario.steps.flatMap((s) => s.checks),
];
const solutions = (l: LoadedScenario) => l.scenario.steps.map((s) => s.solution).join('\n');

// Where each scenario runs: sim only where the fault or the signal comes from the sim traffic
// model (slo-burn: the error-rate annotation and the Istio series).
const BACKENDS: Record<string, string[]> = {
  failover: ['sim', 'kind', 'external'],
  'scale-to-zero': ['sim', 'kind'],
  alerting: ['sim', 'kind'],
  'bad-rollout': ['sim', 'kind'],
  'lost-placement': ['sim', 'kind'],
  'network-policy': ['sim', 'kind'],
  'slo-burn': ['sim'],
  'monitoring-blind': ['sim', 'kind'],
  'zone-outage': ['sim', 'kind'],
  // its latency is the sim traffic model's Istio series, which kind lacks without a mesh
  'cpu-pressure': ['sim'],
  'unsafe-drain': ['sim', 'kind'],
};
/** The scenarios that judge the shop from the shopper's side, through the frontend. */
const ASKS_THE_FRONTEND = ['network-policy', 'unsafe-drain'];

describe.each(Object.keys(BACKENDS))('%s', (id) => {
  const loaded = () => {
    const found = catalog.find((l) => l.scenario.id === id);
    if (!found) throw new Error(`${id} is not in the catalog`);
    return found;
  };

  it('runs where it says, and asks the frontend only where that is the lesson', () => {
    expect(loaded().scenario.backends).toEqual(BACKENDS[id]);
    const checks = everyCheck(loaded()).map(checkName);
    if (!ASKS_THE_FRONTEND.includes(id)) expect(checks.filter((c) => c.startsWith('http'))).toEqual([]);
  });

  it('names only Deployments of the shop', () => {
    const named = [
      ...everyAction(loaded()).flatMap((a) => {
        const x = args(a);
        if ('patch' in a) return a.patch.kind === 'Deployment' ? [a.patch.name] : [];
        return [x.name, x.deployment].filter((v): v is string => typeof v === 'string');
      }),
      ...everyCheck(loaded()).flatMap((c) =>
        'deploymentsAvailable' in c ? (c.deploymentsAvailable.names ?? []) : [],
      ),
      ...everyCheck(loaded()).flatMap((c) =>
        'spreadAcrossZones' in c
          ? (c.spreadAcrossZones.names ?? [])
          : 'deploymentsServing' in c
            ? (c.deploymentsServing.names ?? [])
            : [],
      ),
      ...everyCheck(loaded()).flatMap((c) => ('event' in c && c.event.object ? [c.event.object] : [])),
      ...everyCheck(loaded()).flatMap((c) =>
        'alert' in c && c.alert.labels?.service ? [c.alert.labels.service] : [],
      ),
    ];
    for (const name of named) expect(shopDeployments).toContain(name);
  });

  it('names only pools and nodes of the topology', () => {
    for (const item of [...everyAction(loaded()), ...everyCheck(loaded())]) {
      const x = args(item);
      const pools = [x.pool, (x.labels as Record<string, string> | undefined)?.pool].filter(
        (p): p is string => typeof p === 'string',
      );
      for (const pool of pools) expect([...poolNodes.keys()]).toContain(pool);
      if (typeof x.node === 'string') {
        const [, pool, n] = /^(.*)-(\d+)$/.exec(x.node) ?? [];
        expect(Number(n)).toBeLessThanOrEqual(poolNodes.get(pool ?? '') ?? 0);
      }
      if ('nodesReady' in item)
        expect(item.nodesReady.count).toBeLessThanOrEqual(poolNodes.get(item.nodesReady.pool) ?? 0);
    }
    for (const [, node] of solutions(loaded()).matchAll(/kartstream node (?:fail|heal)((?: [a-z0-9-]+)+)/g))
      for (const name of (node ?? '').trim().split(' ')) {
        const [, pool, n] = /^(.*)-(\d+)$/.exec(name) ?? [];
        expect(Number(n)).toBeLessThanOrEqual(poolNodes.get(pool ?? '') ?? 0);
      }
  });

  it('names only alerts of the shared rules, or ones its solutions write', () => {
    const written = [...solutions(loaded()).matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    for (const c of everyCheck(loaded())) {
      const name = 'alert' in c ? c.alert.name : 'alertRule' in c ? c.alertRule.name : undefined;
      if (name) expect([...ruleAlerts, ...written]).toContain(name);
    }
  });

  it('rolls back to the baseline: restoreShop, healed nodes, pools at their topology size', () => {
    const { rollback } = loaded().scenario;
    expect(rollback.map(actionName)).toContain('restoreShop');
    const failsNodes =
      everyAction(loaded()).some((a) => 'failNode' in a || 'failZone' in a) ||
      /kartstream (node|zone) fail/.test(solutions(loaded()));
    if (failsNodes) expect(rollback.map(actionName)).toContain('healNode');
    const scaled = new Set([
      ...everyAction(loaded()).flatMap((a) => ('scalePool' in a ? [a.scalePool.pool] : [])),
      ...[...solutions(loaded()).matchAll(/kartstream pool scale (\S+)/g)].map((m) => m[1] ?? ''),
    ]);
    for (const pool of scaled)
      expect(rollback).toContainEqual({ scalePool: { pool, nodes: poolNodes.get(pool) } });
    const drains =
      everyAction(loaded()).some((a) => 'drainNode' in a) || /kubectl (drain|cordon) /.test(solutions(loaded()));
    if (drains) expect(rollback.map(actionName)).toContain('uncordonNode');
    // what a learner creates that the shop's manifests do not have, restoreShop leaves: delete it
    if (/kubectl create (poddisruptionbudget|pdb) |kind: PodDisruptionBudget/.test(solutions(loaded())))
      expect(rollback).toContainEqual({ deleteAll: { kind: 'PodDisruptionBudget' } });
    if (/kubectl autoscale /.test(solutions(loaded()) + loaded().scenario.steps.map((st) => st.text).join('\n')))
      expect(rollback.slice(0, rollback.findIndex((a) => 'restoreShop' in a))).toContainEqual({
        deleteAll: { kind: 'HorizontalPodAutoscaler' },
      });
  });

  it('teaches: objectives, 2-3 hints per step, a solution, a debrief', () => {
    const { scenario } = loaded();
    expect(scenario.objectives.length).toBeGreaterThanOrEqual(3);
    expect(scenario.steps.length).toBeGreaterThanOrEqual(2);
    expect(scenario.steadyState.length).toBeGreaterThan(0);
    for (const step of scenario.steps) {
      expect(step.hints.length).toBeGreaterThanOrEqual(2);
      expect(step.hints.length).toBeLessThanOrEqual(3);
      expect(step.text).toMatch(/```sh\n/);
    }
    expect(scenario.debrief).toMatch(/## Lessons/);
  });

  it("has at most one learnerRan check, which the step's own solution satisfies", () => {
    const steps = loaded().scenario.steps.filter((s) => s.checks.some((c) => 'learnerRan' in c));
    expect(steps.length).toBeLessThanOrEqual(1);
    for (const step of steps) {
      const patterns = step.checks.flatMap((c) =>
        'learnerRan' in c ? [new RegExp(c.learnerRan.pattern)] : [],
      );
      const lines = step.solution.split('\n').map((l) => l.trim());
      for (const pattern of patterns) expect(lines.some((l) => pattern.test(l))).toBe(true);
    }
  });

  it('solves with kubectl and the kartstream CLI only, on the current context', () => {
    const lines = solutions(loaded())
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    let inHeredoc = false;
    for (const line of lines) {
      if (inHeredoc) {
        inHeredoc = line !== 'EOF';
        continue;
      }
      if (/^cat > \S+ <<'EOF'$/.test(line)) {
        inHeredoc = true;
        continue;
      }
      expect(line).toMatch(/^(kubectl|kartstream) /);
      expect(line).not.toMatch(/ (-n|--namespace|--context|--kubeconfig)[ =]/);
    }
    expect(inHeredoc).toBe(false);
  });
});
