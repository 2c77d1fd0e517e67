// Turns zod issues into lines a user can act on: `<path>: got <found>, expected <what>`.
import { z } from 'zod';

type Issue = z.core.$ZodIssue;

// `pools[2].taint.effect` from ['pools', 2, 'taint', 'effect'].
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');

// How a found value is shown: strings quoted, objects and arrays by kind.
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `a list (${value.length} item${value.length === 1 ? '' : 's'})`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
};

const article = (expected: string): string => {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
};

const bound = (
  issue: { inclusive?: boolean; origin: string },
  limit: number | bigint,
  side: 'min' | 'max',
) => {
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
  const words =
    issue.inclusive === false
      ? side === 'min'
        ? 'more than'
        : 'less than'
      : side === 'min'
        ? 'at least'
        : 'at most';
  return `${words} ${limit}${unit}`;
};

const measure = (issue: { origin: string; input?: unknown }): string => {
  const input = issue.input;
  if (issue.origin === 'string' && typeof input === 'string')
    return `${JSON.stringify(input)} (${input.length} characters)`;
  if (issue.origin === 'array' && Array.isArray(input)) return `${input.length} items`;
  return describeValue(input);
};

// The keys a schema accepts at a path, so an unknown key can be answered with the allowed ones.
const allowedKeysAt = (schema: z.ZodType, path: readonly PropertyKey[]): string[] => {
  let node: unknown = schema;
  for (const key of [...path, null]) {
    for (;;) {
      const def = (node as { def?: { type?: string; innerType?: unknown; in?: unknown; schema?: unknown } })
        ?.def;
      if (!def) return [];
      if (def.innerType) node = def.innerType;
      else if (def.type === 'pipe' && def.in) node = def.in;
      else break;
    }
    if (key === null) break;
    const def = (node as { def: { type: string; element?: unknown; shape?: Record<string, unknown> } }).def;
    if (def.type === 'array' && typeof key === 'number') node = def.element;
    else if (def.type === 'object' && def.shape && typeof key === 'string') node = def.shape[key];
    else return [];
  }
  const shape = (node as { def?: { shape?: Record<string, unknown> } })?.def?.shape;
  return shape ? Object.keys(shape) : [];
};

export interface Problem {
  /** Where in the document, e.g. ['pools', 2, 'taint', 'effect']. */
  path: PropertyKey[];
  /** `pools[2].taint.effect: got "NoSchedul", expected one of ...` */
  text: string;
}

// One problem per wrong field (the first found: later cross-field checks on a field that is
// already wrong would only repeat it), naming its path, what was found and what was expected.
export const describeIssues = (issues: readonly Issue[], schema: z.ZodType): Problem[] => {
  const problems = issues.flatMap((issue) =>
    describeIssue(issue, schema).map((text, i) => ({
      path: issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[i] ?? ''] : [...issue.path],
      text,
    })),
  );
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = formatPath(problem.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const describeIssue = (issue: Issue, schema: z.ZodType): string[] => {
  const at = formatPath(issue.path);
  const where = at === '' ? '(top level)' : at;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? [`${where}: missing, expected ${article(issue.expected)}`]
        : [`${where}: got ${describeValue(issue.input)}, expected ${article(issue.expected)}`];
    case 'invalid_value':
      return [
        issue.values.length === 1
          ? `${where}: got ${describeValue(issue.input)}, expected ${describeValue(issue.values[0])}`
          : `${where}: got ${describeValue(issue.input)}, expected one of ${issue.values.join(', ')}`,
      ];
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const field = at === '' ? key : `${at}.${key}`;
        return `${field}: unknown key, expected one of ${allowed.join(', ')}`;
      });
    }
    case 'too_small':
      return [`${where}: got ${measure(issue)}, expected ${bound(issue, issue.minimum, 'min')}`];
    case 'too_big':
      return [`${where}: got ${measure(issue)}, expected ${bound(issue, issue.maximum, 'max')}`];
    case 'invalid_format':
      return [`${where}: got ${describeValue(issue.input)}, expected ${issue.message}`];
    case 'invalid_union':
      return [`${where}: got ${describeValue(issue.input)}, expected ${issue.message}`];
    default:
      return [`${where}: ${issue.message}`];
  }
};
