// The actions a scenario can take (faults, repairs, changes), each in backend-neutral terms:
// node and pool actions go through the backend, the rest through the Kubernetes API. Each kind
// lives in its own module under ./actions/, registered in the ACTIONS table.
import type { Capabilities } from '../backends/cluster-backend.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { ACTIONS } from './actions/index.ts';
import type { ActionArgs, ActionHandler } from './actions/action-handler.ts';
import { actionName, type Action, type ActionName, type Scenario } from './scenario-types.ts';
import type { ScenarioContext } from './scenario-context.ts';

interface Resolved {
  handler?: ActionHandler<ActionName>;
  args: ActionArgs<ActionName>;
}

// The handler of an action (none for a kind the table lacks) and its arguments.
const resolve = (action: Action): Resolved => {
  const name = actionName(action);
  return {
    handler: Object.hasOwn(ACTIONS, name) ? (ACTIONS[name] as ActionHandler<ActionName>) : undefined,
    args: (action as Record<string, unknown>)[name] as ActionArgs<ActionName>,
  };
};

// Why a backend cannot run an action, or undefined when it can.
export const cannotRun = (
  action: Action,
  capabilities: Capabilities,
  backend: string,
): string | undefined => {
  const { handler, args } = resolve(action);
  return handler?.cannotRun?.(args, capabilities, backend);
};

// Every action of a scenario that the backend cannot run, as "where: why" lines.
export const unsupportedActions = (
  scenario: Scenario,
  capabilities: Capabilities,
  backend: string,
): string[] => {
  const all: [string, Action][] = [
    ...scenario.setup.map((a, i): [string, Action] => [`setup[${i}]`, a]),
    ...scenario.steps.flatMap((s) => s.do.map((a, i): [string, Action] => [`steps.${s.id}.do[${i}]`, a])),
    ...scenario.rollback.map((a, i): [string, Action] => [`rollback[${i}]`, a]),
  ];
  return all.flatMap(([where, action]) => {
    const why = cannotRun(action, capabilities, backend);
    return why ? [`${where} (${actionName(action)}): ${why}`] : [];
  });
};

// Runs one action; returns a short description for the timeline.
export const runAction = async (ctx: ScenarioContext, action: Action): Promise<string> => {
  const { handler, args } = resolve(action);
  if (!handler) throw new KartStreamError('invalid-input', `cannot run action ${actionName(action)} here`);
  return handler.run(ctx, args);
};
