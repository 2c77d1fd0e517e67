// What one scenario check is: how it is evaluated now, and what it needs (monitoring, a backend
// that runs containers). Each check kind of the schema has one module in this folder and one
// entry in ./index.ts.
import type { ScenarioContext } from '../scenario-context.ts';
import type { Check, CheckName } from '../scenario-types.ts';

/** The arguments of a check kind: for `{ nodesReady: { pool, count } }`, the `{ pool, count }`. */
export type CheckArgs<K extends CheckName> = Extract<Check, Record<K, unknown>>[K];

/** Whether a check holds now, and what it saw. */
export interface CheckOutcome {
  ok: boolean;
  detail: string;
}

export interface CheckHandler<K extends CheckName> {
  /** Evaluates the check now; `since` bounds event and command checks to the current step. */
  evaluate(ctx: ScenarioContext, args: CheckArgs<K>, since: Date): CheckOutcome | Promise<CheckOutcome>;
  /** Reads Prometheus or Alertmanager, which have no push API: re-read on a tick; needs monitoring. */
  monitoring?: boolean;
  /** Asks something with no watch (an HTTP request to the shop): re-read on a tick. */
  polled?: boolean;
  /** Why `backend` cannot evaluate it, or undefined (absent: every backend can). */
  cannotCheck?(backend: string): string | undefined;
}

/** One handler per check kind: a kind added to the schema does not compile until it has one. */
export type CheckTable = { [K in CheckName]: CheckHandler<K> };
