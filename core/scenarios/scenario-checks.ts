// The checks a scenario step waits for. Cluster checks read the watch store; alert and PromQL
// checks ask the lab's Prometheus/Alertmanager; learnerRan reads the lab's command record. Each
// kind lives in its own module under ./checks/, registered in the CHECKS table.
import type { Capabilities } from '../backends/cluster-backend.ts';
import { checkSpec, checkText } from './check-text.ts';
import { CHECKS } from './checks/index.ts';
import type { CheckArgs, CheckHandler } from './checks/check-handler.ts';
import { checkName, type Check, type CheckName, type Scenario } from './scenario-types.ts';
import type { ScenarioContext } from './scenario-context.ts';

export interface CheckResult {
  /** The check as written, e.g. `nodesReady {"pool":"backend","count":2}` (check-text.ts). */
  check: string;
  /** The check in words, e.g. "2 Ready nodes in backend". */
  text: string;
  ok: boolean;
  detail: string;
}

// The handler of a check (none for a kind the table lacks).
const handlerOf = (check: Check): CheckHandler<CheckName> | undefined => {
  const name = checkName(check);
  return Object.hasOwn(CHECKS, name) ? (CHECKS[name] as CheckHandler<CheckName>) : undefined;
};

/** Checks that read Prometheus or Alertmanager, which have no push API: re-read on a tick. */
export const MONITORING_CHECKS: ReadonlySet<string> = new Set(
  Object.entries(CHECKS)
    .filter(([, handler]) => handler.monitoring)
    .map(([name]) => name),
);

/** Checks nothing pushes a change for (monitoring, HTTP): the step re-evaluates them on a tick. */
export const POLLED_CHECKS: ReadonlySet<string> = new Set(
  Object.entries(CHECKS)
    .filter(([, handler]) => handler.monitoring || handler.polled)
    .map(([name]) => name),
);

// Why a backend or lab cannot evaluate a check, or undefined.
export const cannotCheck = (check: Check, backend: string, hasMonitoring: boolean): string | undefined => {
  const why = handlerOf(check)?.cannotCheck?.(backend);
  if (why) return why;
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
  const handler = handlerOf(check);
  if (!handler) return result(check, false, 'not supported here');
  const args = (check as Record<string, unknown>)[checkName(check)] as CheckArgs<CheckName>;
  const { ok, detail } = await handler.evaluate(ctx, args, since);
  return result(check, ok, detail);
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
