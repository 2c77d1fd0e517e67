// The pools a scenario names, held to a topology: a check or action naming a pool the lab does
// not have can never pass, so lint and `scenario run` refuse it, naming the pools there are.
// Which argument names a pool is listed for every action and check kind (typed exhaustively).
import { formatPath } from '../validation/describe-issues.ts';
import { displayPath } from '../validation/load-yaml-file.ts';
import type { Topology } from '../topology/schema.ts';
import {
  actionName,
  checkName,
  type Action,
  type ActionName,
  type Check,
  type CheckName,
  type Scenario,
} from './scenario-types.ts';

type Found = [path: PropertyKey[], pool: string][];
type ActionArgs<K extends ActionName> = Extract<Action, Record<K, unknown>>[K];
type CheckArgs<K extends CheckName> = Extract<Check, Record<K, unknown>>[K];

const none = (): Found => [];
const poolArg = (args: { pool?: string }): Found => (args.pool === undefined ? [] : [[['pool'], args.pool]]);

const ACTION_POOLS: { [K in ActionName]: (args: ActionArgs<K>) => Found } = {
  failNode: poolArg,
  healNode: poolArg,
  scalePool: poolArg,
  scaleDeployment: none,
  deletePods: none,
  breakPods: none,
  healPods: none,
  setUsage: none,
  apply: none,
  delete: none,
  patch: none,
  removeToleration: none,
  restoreShop: none,
  wait: none,
  failZone: none,
  setLoad: none,
  deleteAll: none,
  drainNode: none,
  uncordonNode: poolArg,
};

const CHECK_POOLS: { [K in CheckName]: (args: CheckArgs<K>) => Found } = {
  deploymentsAvailable: none,
  podsOnPool: poolArg,
  noPodsOn: poolArg,
  nodesReady: poolArg,
  pendingPods: none,
  // The shared rules label node alerts with the pool (manifests/monitoring/rules).
  alert: ({ labels }) => (labels?.pool === undefined ? [] : [[['labels', 'pool'], labels.pool]]),
  alertRule: none,
  promql: none,
  event: none,
  http: none,
  httpFails: none,
  monitoringAnswers: none,
  learnerRan: none,
  spreadAcrossZones: none,
  deploymentsServing: none,
  nodesCordoned: poolArg,
  disruptionBudget: none,
};

const poolsOfAction = (action: Action): Found => {
  const name = actionName(action);
  return (ACTION_POOLS[name] as (args: unknown) => Found)((action as Record<string, unknown>)[name]);
};
const poolsOfCheck = (check: Check): Found => {
  const name = checkName(check);
  return (CHECK_POOLS[name] as (args: unknown) => Found)((check as Record<string, unknown>)[name]);
};

/** A pool named in a scenario, with its path in the document, e.g. `['steps', 1, 'checks', 0, 'nodesReady', 'pool']`. */
export interface PoolReference {
  path: PropertyKey[];
  pool: string;
}

// Every pool the scenario's actions and checks name, in document order.
export const poolReferences = (scenario: Scenario): PoolReference[] => {
  const actions = (at: PropertyKey[], list: readonly Action[]) =>
    list.flatMap((a, i) => poolsOfAction(a).map(([p, pool]) => ({ path: [...at, i, actionName(a), ...p], pool })));
  const checks = (at: PropertyKey[], list: readonly Check[]) =>
    list.flatMap((c, i) => poolsOfCheck(c).map(([p, pool]) => ({ path: [...at, i, checkName(c), ...p], pool })));
  return [
    ...actions(['setup'], scenario.setup),
    ...checks(['steadyState'], scenario.steadyState),
    ...scenario.steps.flatMap((step, i) => [
      ...actions(['steps', i, 'do'], step.do),
      ...checks(['steps', i, 'checks'], step.checks),
    ]),
    ...actions(['rollback'], scenario.rollback),
  ];
};

/** The topology a scenario is held to: its file (for messages) and its pool names. */
export interface PoolsOf {
  file: string;
  pools: string[];
}

export const poolsOf = (file: string, topology: Topology): PoolsOf => ({
  file,
  pools: topology.pools.map((p) => p.name),
});

// The pools the scenario names that the topology does not have.
export const unknownPools = (scenario: Scenario, topology: PoolsOf): PoolReference[] =>
  poolReferences(scenario).filter((ref) => !topology.pools.includes(ref.pool));

// What is wrong with one unknown pool, in the schema's words: `got "storage", expected a pool of ...`.
export const unknownPoolText = (pool: string, topology: PoolsOf): string =>
  `got ${JSON.stringify(pool)}, expected a pool of ${displayPath(topology.file)}: ${topology.pools.join(', ')}`;

// The unknown pools as lines for a refusal to run: `steps.<id>.checks[0].nodesReady.pool: got ...`.
export const unknownPoolLines = (scenario: Scenario, topology: PoolsOf): string[] =>
  unknownPools(scenario, topology).map(({ path, pool }) => {
    const [first, index, ...rest] = path;
    const step = first === 'steps' && typeof index === 'number' ? scenario.steps[index] : undefined;
    const where = formatPath(step ? ['steps', step.id, ...rest] : path);
    return `${where}: ${unknownPoolText(pool, topology)}`;
  });
