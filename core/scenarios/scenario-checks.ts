// The checks a scenario step waits for. Cluster checks read the watch store; alert and PromQL
// checks ask the lab's Prometheus/Alertmanager; learnerRan reads the lab's command record.
import type { Capabilities } from '../backends/cluster-backend.ts';
import { AlertmanagerApi, PrometheusApi } from '../monitoring/prometheus-api.ts';
import { checkSpec, checkText } from './check-text.ts';
import { isDeploymentAvailable, isNodeReady } from '../kube/readiness.ts';
import { readCommands } from './run-files.ts';
import { checkName, durationMs, type Check, type CompareOp, type Scenario } from './scenario-types.ts';
import type { ScenarioContext } from './scenario-context.ts';

export interface CheckResult {
  /** The check as written, e.g. `nodesReady {"pool":"backend","count":2}` (check-text.ts). */
  check: string;
  /** The check in words, e.g. "2 Ready nodes in backend". */
  text: string;
  ok: boolean;
  detail: string;
}

/** Checks that read Prometheus or Alertmanager, which have no push API: re-read on a tick. */
export const MONITORING_CHECKS = new Set(['alert', 'alertRule', 'promql']);

// Why a backend or lab cannot evaluate a check, or undefined.
export const cannotCheck = (check: Check, backend: string, hasMonitoring: boolean): string | undefined => {
  if ('http' in check && backend === 'sim')
    return 'the sim backend runs no containers, so there is no shop to reach over HTTP';
  if (MONITORING_CHECKS.has(checkName(check)) && !hasMonitoring) return 'the lab runs without monitoring';
  return undefined;
};

export const uncheckable = (
  scenario: Scenario,
  _capabilities: Capabilities,
  backend: string,
  hasMonitoring: boolean,
): string[] => {
  const all: [string, Check][] = [
    ...scenario.steadyState.map((c, i): [string, Check] => [`steadyState[${i}]`, c]),
    ...scenario.steps.flatMap((s) =>
      s.checks.map((c, i): [string, Check] => [`steps.${s.id}.checks[${i}]`, c]),
    ),
  ];
  return all.flatMap(([where, check]) => {
    const why = cannotCheck(check, backend, hasMonitoring);
    return why ? [`${where} (${checkName(check)}): ${why}`] : [];
  });
};

const compare = (a: number, op: CompareOp, b: number): boolean =>
  ({ '>': a > b, '>=': a >= b, '<': a < b, '<=': a <= b, '==': a === b, '!=': a !== b })[op];

const matchesSelector = (labels: Record<string, string> | undefined, selector?: string): boolean =>
  !selector ||
  selector.split(',').every((term) => {
    const [key, value] = term.split('=').map((x) => x.trim());
    return value === undefined ? labels?.[key ?? ''] !== undefined : labels?.[key ?? ''] === value;
  });

const result = (check: Check, ok: boolean, detail: string): CheckResult => ({
  check: checkSpec(check),
  text: checkText(check),
  ok,
  detail,
});

// Evaluates one check now; `since` bounds event and command checks to the current step.
export const evaluateCheck = async (
  ctx: ScenarioContext,
  check: Check,
  since: Date,
): Promise<CheckResult> => {
  const { store, namespace } = ctx;
  const livePods = () => store.pods(namespace).filter((p) => !p.metadata?.deletionTimestamp);
  if ('deploymentsAvailable' in check) {
    const { names, all } = check.deploymentsAvailable;
    const wanted = store.deployments(namespace).filter((d) => all || names?.includes(d.metadata?.name ?? ''));
    const missing = (names ?? []).filter((n) => !wanted.some((d) => d.metadata?.name === n));
    const down = wanted.filter((d) => !isDeploymentAvailable(d)).map((d) => d.metadata?.name ?? '');
    const bad = [...missing, ...down];
    return result(
      check,
      bad.length === 0,
      bad.length ? `not available: ${bad.join(', ')}` : `${wanted.length} available`,
    );
  }
  if ('podsOnPool' in check) {
    const { selector, pool } = check.podsOnPool;
    const poolOf = new Map(store.nodes().map((n) => [n.metadata?.name, n.metadata?.labels?.pool]));
    const pods = livePods().filter((p) => matchesSelector(p.metadata?.labels, selector));
    const off = pods.filter((p) => poolOf.get(p.spec?.nodeName) !== pool);
    return result(
      check,
      pods.length > 0 && off.length === 0,
      pods.length === 0
        ? 'no pods match'
        : off.length
          ? `${off.length} pod(s) not on ${pool}`
          : `${pods.length} on ${pool}`,
    );
  }
  if ('noPodsOn' in check) {
    const { node, pool, selector } = check.noPodsOn;
    const poolOf = new Map(store.nodes().map((n) => [n.metadata?.name, n.metadata?.labels?.pool]));
    const on = livePods().filter(
      (p) =>
        matchesSelector(p.metadata?.labels, selector) &&
        ((node && p.spec?.nodeName === node) || (pool && poolOf.get(p.spec?.nodeName) === pool)),
    );
    return result(check, on.length === 0, on.length ? `${on.length} pod(s) still there` : 'none');
  }
  if ('nodesReady' in check) {
    const { pool, count } = check.nodesReady;
    const ready = store.nodes().filter((n) => n.metadata?.labels?.pool === pool && isNodeReady(n)).length;
    return result(check, ready === count, `${ready} Ready in ${pool}, want ${count}`);
  }
  if ('pendingPods' in check) {
    const { min, max, selector } = check.pendingPods;
    const pending = livePods().filter(
      (p) => p.status?.phase === 'Pending' && matchesSelector(p.metadata?.labels, selector),
    ).length;
    const ok = (min === undefined || pending >= min) && (max === undefined || pending <= max);
    return result(check, ok, `${pending} Pending`);
  }
  if ('event' in check) {
    const { reason, object } = check.event;
    const seen = store
      .events(namespace)
      .some(
        (e) =>
          e.reason === reason &&
          (!object || (e.involvedObject?.name ?? '').startsWith(object)) &&
          new Date(String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0)).getTime() >=
            since.getTime() - 1000,
      );
    return result(check, seen, seen ? `${reason} seen` : `no ${reason} event yet`);
  }
  if ('learnerRan' in check) {
    const pattern = new RegExp(check.learnerRan.pattern);
    const ran = (await readCommands(ctx.lab.name)).some(
      (c) => new Date(c.at) >= since && pattern.test(c.command),
    );
    return result(check, ran, ran ? 'ran' : 'not yet');
  }
  if ('alert' in check) {
    const { name, state, labels = {} } = check.alert;
    const matches = (l: Record<string, string>) =>
      l.alertname === name && Object.entries(labels).every(([k, v]) => l[k] === v);
    const active = (await new AlertmanagerApi(ctx.monitoring?.alertmanager ?? '').alerts()).some((a) =>
      matches(a.labels),
    );
    const pending = (await new PrometheusApi(ctx.monitoring?.prometheus ?? '').alertingRules()).some(
      (r) => r.name === name && (r.alerts ?? []).some((a) => matches({ alertname: name, ...a.labels })),
    );
    const ok = state === 'firing' ? active : !active && !pending;
    return result(check, ok, active ? 'firing' : pending ? 'pending' : 'not firing');
  }
  if ('alertRule' in check) {
    const rule = (await new PrometheusApi(ctx.monitoring?.prometheus ?? '').alertingRules()).find(
      (r) => r.name === check.alertRule.name,
    );
    const forSeconds = (rule as { duration?: number } | undefined)?.duration ?? 0;
    const limit = check.alertRule.forAtMost ? durationMs(check.alertRule.forAtMost) / 1000 : Infinity;
    return result(
      check,
      rule !== undefined && forSeconds <= limit,
      rule ? `loaded, for ${forSeconds}s` : 'no such rule loaded',
    );
  }
  if ('promql' in check) {
    const { query, op, value } = check.promql;
    const res = await new PrometheusApi(ctx.monitoring?.prometheus ?? '').query(query);
    const first = res.result[0];
    const v = first ? Number(first.value[1]) : NaN;
    return result(check, !Number.isNaN(v) && compare(v, op, value), first ? `value ${v}` : 'no data');
  }
  return result(check, false, 'not supported here');
};

// Evaluates checks together; a check that throws counts as not holding, with the error as detail.
export const evaluateChecks = (
  ctx: ScenarioContext,
  checks: readonly Check[],
  since: Date,
): Promise<CheckResult[]> =>
  Promise.all(
    checks.map((c) =>
      evaluateCheck(ctx, c, since).catch((e: unknown) => result(c, false, (e as Error).message)),
    ),
  );
