// A dashboard target's PromQL as Grafana sends it: template variables and the built-in
// `$__interval`, `$__rate_interval` and `$__range` substituted. Grafana's definitions, in short:
//   $__interval       range / max data points, never below the scrape interval (Grafana's
//                     datasource `timeInterval`); the app uses a fixed 300 points and rounds up to
//                     whole seconds (Grafana rounds to "nice" steps and uses the panel's width).
//                     The app also uses it as the range query's step.
//   $__rate_interval  max($__interval + scrape interval, 4 × scrape interval).
//   $__range          the dashboard's time range, e.g. `1800s`.
// The scrape interval is the lab Prometheus' own `global.scrape_interval`.
import type { DashboardVariableView } from '../contract/dashboard-types.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';

export const MAX_DATA_POINTS = 300;
/** Grafana's value for "All" in a variable's URL and current value. */
export const ALL = '$__all';
export const BUILTIN_VARIABLES = ['__interval', '__rate_interval', '__range'] as const;

export const intervalSeconds = (rangeSeconds: number, scrapeSeconds: number): number =>
  Math.max(scrapeSeconds, Math.ceil(rangeSeconds / MAX_DATA_POINTS));

export const rateIntervalSeconds = (interval: number, scrapeSeconds: number): number =>
  Math.max(interval + scrapeSeconds, 4 * scrapeSeconds);

// `$name`, `${name}` (also `${name:format}`) and the old `[[name]]`.
const VARIABLE = /\$(\w+)|\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]/g;

/** The variable names an expression uses, built-ins included (without the `$`). */
export const referencedVariables = (expr: string): string[] => [
  ...new Set([...expr.matchAll(VARIABLE)].map((m) => (m[1] ?? m[2] ?? m[3]) as string)),
];

/** A label value made safe inside a `=~"..."` matcher: regex metacharacters, `\` and `"` escaped. */
export const regexValue = (value: string): string =>
  value
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"');

/**
 * The text a variable stands for. "All" (or nothing chosen, when the variable offers All) is its
 * `allValue`, else every known value as `(a|b)`; a chosen value is regex-escaped, as the
 * dashboards use variables only in `=~` matchers (the unit test keeps them to that).
 */
export const variableText = (
  variable: DashboardVariableView,
  chosen: string | undefined,
  known: readonly string[],
): string => {
  if (chosen === undefined || chosen === ALL) {
    if (variable.includeAll || chosen === ALL)
      return variable.allValue ?? `(${known.map(regexValue).join('|')})`;
    return regexValue(known[0] ?? '');
  }
  return regexValue(chosen);
};

export interface QueryTiming {
  rangeSeconds: number;
  scrapeSeconds: number;
}

/** `expr` with every variable substituted; an unknown variable is an error naming it. */
export const expandExpr = (expr: string, texts: Record<string, string>, timing: QueryTiming): string => {
  const interval = intervalSeconds(timing.rangeSeconds, timing.scrapeSeconds);
  const all: Record<string, string> = {
    ...texts,
    __interval: `${interval}s`,
    __rate_interval: `${rateIntervalSeconds(interval, timing.scrapeSeconds)}s`,
    __range: `${Math.round(timing.rangeSeconds)}s`,
  };
  return expr.replace(VARIABLE, (whole, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c) as string;
    const text = all[name];
    if (text === undefined)
      throw new KartStreamError(
        'invalid-input',
        `the query uses $${name}, which the dashboard does not define`,
        {
          details: [`query: ${expr}`, `defined: ${Object.keys(all).join(', ')}`],
          fix: `add a template variable ${name} to the dashboard, or remove ${whole} from the query`,
        },
      );
    return text;
  });
};

/** `label_values(<selector>, <label>)` (or `label_values(<label>)`) taken apart. */
export const parseLabelValues = (query: string): { selector?: string; label: string } => {
  const m = /^\s*label_values\(\s*(?:([\s\S]*\S)\s*,\s*)?([a-zA-Z_]\w*)\s*\)\s*$/.exec(query);
  if (!m?.[2])
    throw new KartStreamError('invalid-input', `not a label_values query: ${query}`, {
      fix: 'write the variable query as label_values(<series selector>, <label name>)',
    });
  return { ...(m[1] ? { selector: m[1] } : {}), label: m[2] };
};

/** Grafana's `{{label}}` legend template filled from a series' labels; empty template: undefined. */
export const legendName = (legendFormat: string, labels: Record<string, string>): string | undefined =>
  legendFormat.trim()
    ? legendFormat.replace(/\{\{\s*(\w+)\s*\}\}/g, (_all, name: string) => labels[name] ?? '')
    : undefined;
