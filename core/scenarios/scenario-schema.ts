// The schema of a scenario file (scenarios/*.yaml, docs/scenarios.md): validates YAML into
// exactly the types of scenario-types.ts. Unknown keys are errors everywhere; each action and
// check is a one-key mapping whose key names it, and an unknown name is answered with the list
// of known ones. Problems read `<path>: got <found>, expected <what>` (describe-issues.ts).
import { z } from 'zod';
import type { Action, ActionName, Check, CheckName, Scenario } from './scenario-types.ts';

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export const BACKENDS = ['sim', 'kind', 'external', 'eks'] as const;
export const STACK_PARTS = ['monitoring'] as const;
export const COMPARE_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export const DEFAULT_SCORING = { step: 100, hint: -20, solution: -100, timeBonus: true } as const;

/** Checks that read the lab's Prometheus or Alertmanager: they need `requires: [monitoring]`. */
const MONITORING_CHECKS: readonly string[] = ['alert', 'alertRule', 'promql', 'monitoringAnswers'];

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const text = (what: string) => z.string().regex(/\S/, what);
const kebabId = (example: string) =>
  z.string().regex(KEBAB, `kebab-case: lower-case words joined by "-", such as "${example}"`);
const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes object name such as "cartservice"');
const nodeName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'a node name such as "backend-1"');
const poolName = z.string().regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/, 'a pool name such as "backend"');
const selector = text('a label selector such as "app=cartservice"');
// What the checks match pods with (scenario-checks.ts): `key` or `key=value` terms joined by ",".
const LABEL_TERM = String.raw`\s*[A-Za-z0-9][-A-Za-z0-9_./]*\s*(=\s*[-A-Za-z0-9_.]*\s*)?`;
const podSelector = z
  .string()
  .regex(
    new RegExp(`^${LABEL_TERM}(,${LABEL_TERM})*$`),
    'a label selector of "key=value" (or "key") terms joined by ",", such as "app=cartservice"',
  );
const duration = z
  .string()
  .regex(/^(?=.)(\d+h)?(\d+m)?(\d+s)?$/, 'a duration such as "30s", "5m" or "1m30s"');
const count = z.int().min(0).max(5000);
const zoneLetter = z.string().regex(/^[a-f]$/, 'a zone letter of the topology, such as "a"');
const cpu = z.string().regex(/^\d+(\.\d+)?m?$/, 'a CPU quantity such as "1" or "500m"');
const memory = z.string().regex(/^\d+(Ki|Mi|Gi|Ti|K|M|G|T)?$/, 'a memory quantity such as "512Mi"');
const pattern = text('a regular expression such as "kubectl get pods"').superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `got ${JSON.stringify(value)}, expected a valid regular expression (${(error as Error).message})`,
    });
  }
});

type Ctx = z.core.$RefinementCtx;
const problem = (ctx: Ctx, message: string, path: PropertyKey[] = []) =>
  ctx.addIssue({ code: 'custom', message, path });

// Exactly one of two optional arguments.
const oneOf = (ctx: Ctx, args: Record<string, unknown>, a: string, b: string) => {
  if (args[a] === undefined && args[b] === undefined) problem(ctx, `got neither ${a} nor ${b}, expected one of them`);
  else if (args[a] !== undefined && args[b] !== undefined)
    problem(ctx, `got both ${a} and ${b}, expected one of them`, [b]);
};

// A list of at least `min` items, counted in words: `got 1 step, expected at least 2 steps`.
const listOf = <T extends z.ZodType>(item: T, min: number, noun: string) =>
  z.array(item).superRefine((items, ctx) => {
    const words = (n: number) => `${n} ${noun}${n === 1 ? '' : 's'}`;
    if (items.length < min) problem(ctx, `got ${words(items.length)}, expected at least ${words(min)}`);
  });

// ---- actions ----------------------------------------------------------------------------------

const failNode = z
  .strictObject({
    pool: poolName.optional(),
    node: nodeName.optional(),
    count: z.int().min(1).max(5000).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.pool === undefined && a.node === undefined)
      problem(ctx, 'got neither pool nor node, expected pool (with an optional count) or node');
    else if (a.pool !== undefined && a.node !== undefined)
      problem(ctx, 'got both pool and node, expected one of them', ['node']);
    else if (a.node !== undefined && a.count !== undefined)
      problem(ctx, 'got count with node, expected count only with pool', ['count']);
  });

const patchBody = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())], {
  error: 'a mapping (merge or strategic patch) or a list of operations (json patch)',
});
const patch = z
  .strictObject({
    kind: z.enum(['Deployment', 'Service', 'Node']),
    name: k8sName,
    type: z.enum(['merge', 'strategic', 'json']).optional(),
    patch: patchBody,
  })
  .superRefine((a, ctx) => {
    const isList = Array.isArray(a.patch);
    if (a.type === 'json' && !isList)
      problem(ctx, 'got a mapping, expected a list of operations (type: json)', ['patch']);
    if (a.type !== 'json' && isList)
      problem(ctx, `got a list, expected a mapping (type: ${a.type ?? 'merge'}), or set type: json`, [
        'patch',
      ]);
  });

const noArguments = z
  .looseObject({})
  .superRefine((a, ctx) => {
    const [key] = Object.keys(a);
    if (key !== undefined) problem(ctx, `got an argument "${key}", expected none (write {})`, [key]);
  })
  .transform((): Record<string, never> => ({}));

/** The argument schema of every action, by name. */
export const actionArguments = {
  failNode,
  healNode: z.strictObject({ pool: poolName.optional(), node: nodeName.optional() }),
  scalePool: z.strictObject({ pool: poolName, nodes: count }),
  scaleDeployment: z.strictObject({ name: k8sName, replicas: z.int().min(0).max(100) }),
  deletePods: z.strictObject({ selector }),
  breakPods: z.strictObject({ deployment: k8sName, mode: z.enum(['crashloop', 'notready', 'failed']) }),
  healPods: z.strictObject({ deployment: k8sName.optional() }),
  setUsage: z
    .strictObject({ deployment: k8sName, cpu: cpu.optional(), memory: memory.optional() })
    .superRefine((a, ctx) => {
      if (a.cpu === undefined && a.memory === undefined)
        problem(ctx, 'got neither cpu nor memory, expected cpu, memory or both');
    }),
  apply: z.strictObject({ file: text('a manifest file, relative to the scenario file') }),
  delete: z.strictObject({ file: text('a manifest file, relative to the scenario file') }),
  patch,
  removeToleration: z.strictObject({ deployment: k8sName }),
  restoreShop: noArguments,
  wait: z.strictObject({ for: duration }),
  failZone: z.strictObject({ zone: zoneLetter }),
  setLoad: z.strictObject({ users: z.int().min(0).max(1000) }),
  deleteAll: z.strictObject({ kind: z.enum(['HorizontalPodAutoscaler', 'PodDisruptionBudget']) }),
  drainNode: z
    .strictObject({ node: nodeName.optional(), selector: podSelector.optional() })
    .superRefine((a, ctx) => oneOf(ctx, a, 'node', 'selector')),
  uncordonNode: z
    .strictObject({ node: nodeName.optional(), pool: poolName.optional() })
    .superRefine((a, ctx) => oneOf(ctx, a, 'node', 'pool')),
};

// ---- checks -----------------------------------------------------------------------------------

// Deployments by `names: [...]` or `all: true`, exactly one of them.
const deploymentChoice = <T extends { names?: string[]; all?: boolean }>(c: T, ctx: Ctx) => {
  if (c.names === undefined && c.all !== true)
    problem(ctx, 'got neither names nor all: true, expected names: [...] or all: true');
  else if (c.names !== undefined && c.all !== undefined)
    problem(ctx, 'got both names and all, expected one of them', ['all']);
};

/** The argument schema of every check, by name. */
export const checkArguments = {
  deploymentsAvailable: z
    .strictObject({ names: listOf(k8sName, 1, 'name').optional(), all: z.boolean().optional() })
    .superRefine(deploymentChoice),
  podsOnPool: z.strictObject({ selector: podSelector, pool: poolName }),
  noPodsOn: z
    .strictObject({
      node: nodeName.optional(),
      pool: poolName.optional(),
      zone: zoneLetter.optional(),
      selector: podSelector.optional(),
    })
    .superRefine((c, ctx) => {
      const given = (['node', 'pool', 'zone'] as const).filter((k) => c[k] !== undefined);
      if (given.length === 0) problem(ctx, 'got neither node, pool nor zone, expected one of them');
      else if (given.length > 1)
        problem(ctx, `got both ${given[0]} and ${given[1]}, expected one of them`, [given[1] ?? '']);
    }),
  nodesReady: z.strictObject({ pool: poolName, count }),
  pendingPods: z
    .strictObject({ min: count.optional(), max: count.optional(), selector: podSelector.optional() })
    .superRefine((c, ctx) => {
      if (c.min === undefined && c.max === undefined)
        problem(ctx, 'got neither min nor max, expected min, max or both');
      else if (c.min !== undefined && c.max !== undefined && c.max < c.min)
        problem(ctx, `got ${c.max}, expected at least min (${c.min})`, ['max']);
    }),
  alert: z.strictObject({
    name: text('an alert name such as "RedisCartDown"'),
    state: z.enum(['firing', 'resolved']),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  alertRule: z.strictObject({
    name: text('an alert name such as "RedisCartDown"'),
    forAtMost: duration.optional(),
  }),
  promql: z.strictObject({
    query: text('a PromQL query'),
    op: z.enum(COMPARE_OPS),
    value: z.number(),
  }),
  event: z.strictObject({
    reason: text('an event reason such as "FailedScheduling"'),
    object: text('an object name (or its start) such as "checkoutservice"').optional(),
  }),
  http: z.strictObject({
    path: z.string().regex(/^\//, 'a path starting with "/"'),
    status: z.int().min(100).max(599),
    method: z.enum(['GET', 'POST']).optional(),
  }),
  httpFails: z.strictObject({
    path: z.string().regex(/^\//, 'a path starting with "/"'),
    method: z.enum(['GET', 'POST']).optional(),
  }),
  monitoringAnswers: z.strictObject({
    part: z.enum(['prometheus', 'alertmanager']),
    answers: z.boolean(),
  }),
  learnerRan: z.strictObject({ pattern }),
  spreadAcrossZones: z
    .strictObject({
      names: listOf(k8sName, 1, 'name').optional(),
      all: z.boolean().optional(),
      zones: z.int().min(2).max(6).optional(),
    })
    .superRefine(deploymentChoice),
  deploymentsServing: z
    .strictObject({ names: listOf(k8sName, 1, 'name').optional(), all: z.boolean().optional() })
    .superRefine(deploymentChoice),
  nodesCordoned: z.strictObject({ pool: poolName, count, drained: z.boolean().optional() }),
  disruptionBudget: z.strictObject({ selector: podSelector, minAvailable: z.int().min(1).max(1000) }),
};

// ---- one-key mappings -------------------------------------------------------------------------

type Schemas = Record<string, z.ZodType>;
/** `{ a: schemaA, b: schemaB }` -> `{ a: outA } | { b: outB }`. */
export type OneKeyOf<S extends Schemas> = { [K in keyof S]: { [P in K]: z.output<S[K]> } }[keyof S];

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// A one-key mapping `{ <name>: <arguments> }` whose name is one of `args`' keys.
const oneKeyMapping = <S extends Schemas>(what: 'action' | 'check', args: S) => {
  const names = Object.keys(args);
  const shape = Object.fromEntries(names.map((n) => [n, (args[n] as z.ZodType).optional()])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
  return z
    .looseObject(shape)
    .superRefine(
      (value, ctx) => {
        const keys = Object.keys(value);
        const known = keys.filter((k) => names.includes(k));
        const unknown = keys.filter((k) => !names.includes(k));
        if (keys.length === 0)
          problem(ctx, `got an empty mapping, expected one ${what}: ${names.join(', ')}`);
        else if (known.length === 0)
          problem(ctx, `unknown ${what} "${unknown[0]}", expected one of ${names.join(', ')}`);
        else if (known.length > 1)
          problem(
            ctx,
            `got ${known.length} ${what}s (${known.join(', ')}), expected one ${what} per list item`,
          );
        else if (unknown.length > 0)
          problem(
            ctx,
            `got "${unknown[0]}" beside ${known[0]}, expected only ${known[0]} (indent its arguments under it)`,
          );
      },
      // Runs even when an argument is wrong, so a misspelt name is never hidden.
      { when: (payload) => isMapping(payload.value) },
    )
    .transform((value) => value as OneKeyOf<S>);
};

export const actionSchema = oneKeyMapping('action', actionArguments);
export const checkSchema = oneKeyMapping('check', checkArguments);

// ---- the document -----------------------------------------------------------------------------

const stepSchema = z.strictObject({
  id: kebabId('observe'),
  title: text('a title'),
  text: text('markdown text for the learner'),
  do: z.array(actionSchema).default([]),
  checks: z
    .array(checkSchema)
    .prefault([])
    .superRefine((checks, ctx) => {
      if (checks.length === 0)
        problem(ctx, 'no checks, expected at least one check (the step passes when all of its checks hold)');
    }),
  timeout: duration,
  hints: z.array(text('a hint')).default([]),
  solution: text('shell commands that solve the step'),
});

const scoringSchema = z
  .strictObject({
    step: z.int().min(0).max(10_000).default(DEFAULT_SCORING.step),
    hint: z.int().min(-10_000).max(0).default(DEFAULT_SCORING.hint),
    solution: z.int().min(-10_000).max(0).default(DEFAULT_SCORING.solution),
    timeBonus: z.boolean().default(DEFAULT_SCORING.timeBonus),
  })
  .prefault({});

// Reports the second and later copies of a value in a top-level list, e.g. `backends`.
const noDuplicates = (ctx: Ctx, list: string, items: readonly string[]) => {
  items.forEach((item, i) => {
    const first = items.indexOf(item);
    if (first < i)
      problem(ctx, `got "${item}" again, expected it once (it is already ${list}[${first}])`, [list, i]);
  });
};

export const scenarioSchema = z
  .strictObject({
    id: kebabId('failover-backend-node'),
    title: text('a title'),
    summary: text('one line for the catalog'),
    level: z.enum(LEVELS),
    minutes: z.int().min(1).max(240),
    backends: listOf(z.enum(BACKENDS), 1, 'backend'),
    requires: z.array(z.enum(STACK_PARTS)).default([]),
    objectives: listOf(text('an objective'), 1, 'objective'),
    setup: z.array(actionSchema).default([]),
    steadyState: z.array(checkSchema).default([]),
    steps: listOf(stepSchema, 2, 'step'),
    rollback: z.array(actionSchema).default([]),
    scoring: scoringSchema,
    debrief: text('markdown shown at the end'),
  })
  .superRefine((s, ctx) => {
    noDuplicates(ctx, 'backends', s.backends);
    noDuplicates(ctx, 'requires', s.requires);
    const ids = s.steps.map((step) => step.id);
    ids.forEach((id, i) => {
      const first = ids.indexOf(id);
      if (first < i)
        problem(ctx, `got "${id}" again, expected an id not used by steps[${first}]`, ['steps', i, 'id']);
    });
    const checks: [PropertyKey[], Check][] = [
      ...s.steadyState.map((c, i): [PropertyKey[], Check] => [['steadyState', i], c]),
      ...s.steps.flatMap((step, i) =>
        step.checks.map((c, j): [PropertyKey[], Check] => [['steps', i, 'checks', j], c]),
      ),
    ];
    for (const [path, check] of checks) {
      const name = Object.keys(check)[0] ?? '';
      if (MONITORING_CHECKS.includes(name) && !s.requires.includes('monitoring'))
        problem(ctx, `${name} reads the lab's monitoring stack, expected "monitoring" in requires`, path);
    }
  });

// ---- compile-time guarantees: the schema produces exactly scenario-types.ts ---------------------

type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assignable<A, B> = [A] extends [B] ? true : false;
export type _SchemaGuarantees = [
  Assert<Same<keyof typeof actionArguments, ActionName>>,
  Assert<Same<keyof typeof checkArguments, CheckName>>,
  Assert<Assignable<z.output<typeof actionSchema>, Action>>,
  Assert<Assignable<z.output<typeof checkSchema>, Check>>,
  Assert<Assignable<Check, z.output<typeof checkSchema>>>,
  Assert<Assignable<z.output<typeof scenarioSchema>, Scenario>>,
];
