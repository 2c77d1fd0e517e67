// What one scenario action is: how it runs, and (when some backends cannot run it) why not.
// Each action kind of the schema has one module in this folder and one entry in ./index.ts.
import type { Capabilities } from '../../backends/cluster-backend.ts';
import type { ScenarioContext } from '../scenario-context.ts';
import type { Action, ActionName } from '../scenario-types.ts';

/** The arguments of an action kind: for `{ failNode: { pool } }`, the `{ pool }`. */
export type ActionArgs<K extends ActionName> = Extract<Action, Record<K, unknown>>[K];

export interface ActionHandler<K extends ActionName> {
  /** Runs the action; returns a short description for the timeline. */
  run(ctx: ScenarioContext, args: ActionArgs<K>): Promise<string>;
  /** Why `backend` cannot run it, or undefined when it can (absent: every backend can). */
  cannotRun?(args: ActionArgs<K>, capabilities: Capabilities, backend: string): string | undefined;
}

/** One handler per action kind: a kind added to the schema does not compile until it has one. */
export type ActionTable = { [K in ActionName]: ActionHandler<K> };
