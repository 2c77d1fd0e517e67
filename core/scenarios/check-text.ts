// A scenario check in words ("2 Ready nodes in backend") and as its raw spec
// (`nodesReady {"pool":"backend","count":2}`). One sentence per check kind; the map below is
// typed over every kind of scenario-types.ts, so a new kind without a sentence fails to compile.
import { checkSchema } from './scenario-schema.ts';
import { checkName, type Check, type CheckName } from './scenario-types.ts';

type ArgsOf<K extends CheckName> = Extract<Check, Record<K, unknown>>[K];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listed = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
const matching = (selector?: string) => (selector ? ` matching ${selector}` : '');

const pendingBounds = ({ min, max }: { min?: number; max?: number }): string => {
  if (max === 0) return 'no Pending pods';
  if (min !== undefined && max !== undefined)
    return min === max ? `exactly ${plural(min, 'Pending pod')}` : `between ${min} and ${max} Pending pods`;
  if (min !== undefined) return `at least ${plural(min, 'Pending pod')}`;
  return `at most ${plural(max ?? 0, 'Pending pod')}`;
};

const SENTENCES: { [K in CheckName]: (args: ArgsOf<K>) => string } = {
  deploymentsAvailable: ({ names, all }) =>
    all || !names?.length
      ? 'every Deployment available'
      : `${names.length === 1 ? 'Deployment' : 'Deployments'} ${listed(names)} available`,
  podsOnPool: ({ selector, pool }) => `every pod matching ${selector} on pool ${pool}`,
  noPodsOn: ({ node, pool, zone, selector }) =>
    `no pods${matching(selector)} ${node !== undefined ? `on node ${node}` : zone !== undefined ? `in zone ${zone}` : `on pool ${pool ?? '?'}`}`,
  nodesReady: ({ pool, count }) => `${plural(count, 'Ready node')} in ${pool}`,
  pendingPods: (args) => `${pendingBounds(args)}${matching(args.selector)}`,
  alert: ({ name, state, labels }) => {
    const only = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
    return `alert ${name}${only.length ? ` (${only.join(', ')})` : ''} ${state}`;
  },
  alertRule: ({ name, forAtMost }) =>
    `alert rule ${name} loaded${forAtMost ? `, with a for: of at most ${forAtMost}` : ''}`,
  promql: ({ query, op, value }) => `PromQL ${query} ${op} ${value}`,
  event: ({ reason, object }) => `a ${reason} event${object ? ` for ${object}` : ''}`,
  http: ({ path, status, method }) => `the shop answers ${method === 'POST' ? 'POST ' : ''}${path} with HTTP ${status}`,
  httpFails: ({ path, method }) =>
    `the shop fails ${method === 'POST' ? 'POST ' : ''}${path} (an error status or no answer)`,
  monitoringAnswers: ({ part, answers }) =>
    `${part === 'prometheus' ? 'Prometheus' : 'Alertmanager'} ${answers ? 'answers' : 'does not answer'}`,
  learnerRan: ({ pattern }) => `you ran a command matching /${pattern}/`,
  spreadAcrossZones: ({ names, all, zones = 2 }) =>
    `${all || !names?.length ? 'every Deployment' : listed(names)} available with Ready pods in at least ${zones} zones`,
  deploymentsServing: ({ names, all }) =>
    `${all || !names?.length ? 'every Deployment' : listed(names)} serving from at least one available pod`,
  nodesCordoned: ({ pool, count, drained }) =>
    `${plural(count, drained ? 'drained node' : 'cordoned node')} in ${pool}`,
  disruptionBudget: ({ selector, minAvailable }) =>
    `a PodDisruptionBudget keeps at least ${plural(minAvailable, 'pod')} matching ${selector} and allows an eviction now`,
};

/** The check kinds that have a sentence (all of them; tests hold the map to the schema). */
export const CHECKS_WITH_TEXT = Object.keys(SENTENCES) as CheckName[];

// The check as a sentence, e.g. "every Deployment available".
export const checkText = (check: Check): string => {
  const name = checkName(check);
  const sentence = SENTENCES[name] as (args: unknown) => string;
  return sentence((check as Record<string, unknown>)[name]);
};

// The check as written in the scenario, e.g. `deploymentsAvailable {"all":true}`.
export const checkSpec = (check: Check): string =>
  `${checkName(check)} ${JSON.stringify(Object.values(check)[0])}`;

// The sentence of a spec written by checkSpec (runs recorded before sentences existed); the
// spec itself when it cannot be read back.
export const checkTextOfSpec = (spec: string): string => {
  const space = spec.indexOf(' ');
  if (space < 0) return spec;
  let args: unknown;
  try {
    args = JSON.parse(spec.slice(space + 1));
  } catch {
    return spec;
  }
  const parsed = checkSchema.safeParse({ [spec.slice(0, space)]: args });
  return parsed.success ? checkText(parsed.data) : spec;
};

// The sentence of a recorded check result: its own, or worked out again from its spec.
export const sentenceOf = (result: { check: string; text?: string }): string =>
  result.text ?? checkTextOfSpec(result.check);
