// The alerting rules (manifests/monitoring/rules/kartstream-alerts.yaml), checked and unit-tested
// with the real promtool (Debian: `apt-get install prometheus`; or set PROMTOOL). A missing
// promtool fails these tests with the install command; they are never skipped.
import { copyFile, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertRules,
  findPromtool,
  lazyTool,
  loadRules,
  loadSeriesContract,
  monitoringDir,
  promqlNames,
  recordingRules,
  rulesFile,
  rulesTestsFile,
  run,
  type AlertRule,
  type RuleGroup,
  type SeriesContract,
} from './tools.ts';

// The alerts the issue asks for; more may be added.
const REQUIRED_ALERTS = [
  'ShopServiceUnavailable',
  'PodsPendingOnPool',
  'NodeNotReady',
  'PoolHasNoReadyNodes',
  'RedisCartDown',
  'PodCrashLooping',
  'DeploymentReplicasMismatch',
];
// Labels the rules create themselves (recording rules, label_replace) rather than read.
const DERIVED_LABELS = ['pool', 'service'];
// Labels a real scrape adds to every KSM series, which the alerts must aggregate away.
const SCRAPE_LABELS = ['job', 'instance'];

interface AlertTestCase {
  eval_time: string;
  alertname: string;
  exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
}
interface RulesTests {
  rule_files: string[];
  tests: {
    name: string;
    input_series: { series: string; values: string }[];
    alert_rule_test?: AlertTestCase[];
  }[];
}

/** A duration as seconds (the rules and slo.yaml use s, m and h). */
function seconds(d: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new Error(`unexpected duration ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

/** Seconds as Prometheus writes a duration: whole minutes as `6m`, the rest as `30s`. */
function promDuration(s: number): string {
  return s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

interface SloFile {
  labTimeScale: number;
  slos: {
    name: string;
    objective: number;
    alerts: { alert: string; burnRate: number; longWindow: string; shortWindow: string }[];
  }[];
}

/** The metric name and label names of a promtool input series such as `up{job="x"}`. */
function seriesNames(series: string): { metric: string; labels: string[] } {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/.exec(series.trim());
  if (!m) throw new Error(`unreadable input series ${series}`);
  const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/g)].map((x) => x[1] as string);
  return { metric: m[1] as string, labels };
}

const promtool = lazyTool(findPromtool);
let groups: RuleGroup[];
let alerts: AlertRule[];
let contract: SeriesContract;
let ruleTests: RulesTests;
const tmpDirs: string[] = [];

beforeAll(async () => {
  await promtool.load();
  groups = await loadRules();
  alerts = alertRules(groups);
  contract = await loadSeriesContract();
  ruleTests = parse(await readFile(rulesTestsFile, 'utf8')) as RulesTests;
});

afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

describe('the alerting rules file', () => {
  it('passes `promtool check rules`', async () => {
    const r = await run(promtool.get(), ['check', 'rules', rulesFile]);
    expect(r.output, r.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.exitCode, r.output).toBe(0);
  });

  it('passes `promtool test rules` on tests/unit/monitoring/rules-tests.yaml', async () => {
    const r = await run(promtool.get(), ['test', 'rules', rulesTestsFile]);
    expect(r.output, r.output).toContain('SUCCESS');
    expect(r.exitCode, r.output).toBe(0);
  }, 30_000);

  it('promtool test rules does fail on a wrong expectation, so the passing run above means something', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kartstream-rules-'));
    tmpDirs.push(dir);
    await mkdir(path.join(dir, 'rules'));
    await copyFile(rulesFile, path.join(dir, 'rules', 'kartstream-alerts.yaml'));
    const text = (await readFile(rulesTestsFile, 'utf8'))
      .replace(/^rule_files:\n(?: {2}- .*\n)+/m, 'rule_files:\n  - rules/kartstream-alerts.yaml\n')
      .replace(
        'summary: The database pool has no Ready node',
        'summary: The frontend pool has no Ready node',
      );
    expect(text).toContain('summary: The frontend pool has no Ready node');
    await writeFile(path.join(dir, 'tests.yaml'), text);
    const r = await run(promtool.get(), ['test', 'rules', path.join(dir, 'tests.yaml')]);
    expect(r.exitCode, r.output).not.toBe(0);
    expect(r.output).toContain('PoolHasNoReadyNodes');
  }, 30_000);

  it('has the alerts the lab scenarios rely on, each once', () => {
    const names = alerts.map((a) => a.alert);
    for (const name of REQUIRED_ALERTS) expect(names, name).toContain(name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every alert a severity, a summary, a description and a short `for` (15s to 1m)', () => {
    for (const a of alerts) {
      expect(['critical', 'warning'], a.alert).toContain(a.labels?.severity);
      expect(a.annotations?.summary, a.alert).toMatch(/\w+/);
      expect(a.annotations?.description, a.alert).toMatch(/kubectl/);
      expect(a.for, a.alert).toBeDefined();
      const s = seconds(a.for as string);
      expect(s, a.alert).toBeGreaterThanOrEqual(15);
      expect(s, a.alert).toBeLessThanOrEqual(60);
    }
  });

  it('evaluates every group every 15s, so a lab sees alerts within a minute', () => {
    for (const g of groups) expect(g.interval, g.name).toBe('15s');
  });

  it('labels pool- and service-specific alerts with `pool` and `service`', () => {
    const grouping = (a: AlertRule): string => /^\s*(?:max|sum) by \(([^)]*)\)/.exec(a.expr)?.[1] ?? '';
    const byName = new Map(alerts.map((a) => [a.alert, a]));
    for (const name of [
      'ShopServiceUnavailable',
      'RedisCartDown',
      'DeploymentReplicasMismatch',
      'PodCrashLooping',
    ]) {
      expect(grouping(byName.get(name) as AlertRule), name).toMatch(/\bservice\b.*\bpool\b/);
    }
    for (const name of ['PodsPendingOnPool', 'NodeNotReady']) {
      expect(grouping(byName.get(name) as AlertRule), name).toMatch(/\bpool\b/);
    }
    expect(byName.get('PoolHasNoReadyNodes')?.expr).toMatch(/by \(pool\)/);
  });

  it('derives every SLO alert from manifests/monitoring/slo.yaml: real windows over the lab time scale, the burn rate times the budget', async () => {
    const slo = parse(await readFile(path.join(monitoringDir, 'slo.yaml'), 'utf8')) as SloFile;
    const recorded = new Map(recordingRules(groups).map((r) => [r.record, r.expr]));
    const sloAlerts = slo.slos.flatMap((s) =>
      s.alerts.map((a) => ({ ...a, objective: s.objective, slo: s.name })),
    );
    expect(sloAlerts.length).toBeGreaterThan(0);
    for (const a of sloAlerts) {
      const rule = alerts.find((r) => r.alert === a.alert);
      expect(rule, a.alert).toBeDefined();
      expect(rule?.labels?.slo).toBe(a.slo);
      const budget = Math.round((1 - a.objective) * 1e6) / 1e6;
      for (const real of [a.longWindow, a.shortWindow]) {
        const lab = promDuration(seconds(real) / slo.labTimeScale);
        const record = `kartstream:checkout_errors:ratio_rate${lab}`;
        expect(rule?.expr, `${a.alert} reads ${record}`).toContain(`${record} > (${a.burnRate} * ${budget})`);
        // the recording rule's ranges are that window
        expect(recorded.get(record), record).toBeDefined();
        for (const range of recorded.get(record)!.matchAll(/\[([^\]]+)\]/g))
          expect(range[1], record).toBe(lab);
      }
    }
  });

  it('reads only the kube-state-metrics series listed in manifests/monitoring/ksm-series.yaml', () => {
    const recorded = new Set(recordingRules(groups).map((r) => r.record));
    const known = new Set([...Object.keys(contract.metrics), ...Object.keys(contract.istio), ...recorded]);
    const knownLabels = new Set([
      ...[...Object.values(contract.metrics), ...Object.values(contract.istio)].flatMap((s) => s.labels),
      ...DERIVED_LABELS,
    ]);
    for (const rule of groups.flatMap((g) => g.rules)) {
      const name = 'alert' in rule ? rule.alert : rule.record;
      const { metrics, labels } = promqlNames(rule.expr);
      for (const m of metrics) expect(known.has(m), `${name} reads ${m}`).toBe(true);
      for (const l of labels) expect(knownLabels.has(l), `${name} uses label ${l}`).toBe(true);
    }
  });

  it('every series in ksm-series.yaml is read by the rules or the dashboards (no dead entries)', async () => {
    const used = new Set(groups.flatMap((g) => g.rules).flatMap((r) => [...promqlNames(r.expr).metrics]));
    for (const file of ['shop-overview.json', 'node-pools.json']) {
      const text = await readFile(path.join(monitoringDir, 'base', 'dashboards', file), 'utf8');
      for (const m of text.matchAll(/\b(kube_[a-z_]+|ALERTS)\b/g)) used.add(m[1] as string);
    }
    for (const m of [
      ...Object.keys(contract.metrics),
      ...Object.keys(contract.builtin),
      ...Object.keys(contract.istio),
    ]) {
      expect(used.has(m), m).toBe(true);
    }
  });

  it('the KSM label allowlist in the rules header is the one kube-state-metrics runs with', async () => {
    const allowlist =
      '--metric-labels-allowlist=pods=[kartstream.dev/pool,app],deployments=[kartstream.dev/pool],nodes=[pool]';
    expect(await readFile(rulesFile, 'utf8')).toContain(allowlist);
    expect(await readFile(path.join(monitoringDir, 'base', 'kube-state-metrics.yaml'), 'utf8')).toContain(
      `- ${allowlist}`,
    );
  });
});

describe('the promtool unit tests of the rules (rules-tests.yaml)', () => {
  it('load the rules file itself, not a copy', () => {
    expect(ruleTests.rule_files).toHaveLength(1);
    const resolved = path.resolve(path.dirname(rulesTestsFile), ruleTests.rule_files[0] as string);
    expect(resolved).toBe(rulesFile);
  });

  it('have, for every alert, a case where it fires and a case where it does not', () => {
    const cases = ruleTests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const a of alerts) {
      const mine = cases.filter((c) => c.alertname === a.alert);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        `${a.alert} fires somewhere`,
      ).toBe(true);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        `${a.alert} stays quiet somewhere`,
      ).toBe(true);
    }
  });

  it('expect every label and both annotations of each firing alert', () => {
    const cases = ruleTests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const c of cases) {
      for (const e of c.exp_alerts ?? []) {
        expect(e.exp_labels?.severity, c.alertname).toMatch(/^(critical|warning)$/);
        expect(Object.keys(e.exp_annotations ?? {}).sort(), c.alertname).toEqual(['description', 'summary']);
      }
    }
  });

  it('feed only kube-state-metrics v2 series with their real labels (ksm-series.yaml)', () => {
    for (const t of ruleTests.tests) {
      for (const s of t.input_series) {
        const { metric, labels } = seriesNames(s.series);
        const spec = contract.metrics[metric] ?? contract.istio[metric];
        expect(spec, `${t.name}: ${metric}`).toBeDefined();
        const allowed = new Set([...(spec?.labels ?? []), ...(spec?.extra ?? []), ...SCRAPE_LABELS]);
        for (const l of labels) expect(allowed.has(l), `${t.name}: ${metric} label ${l}`).toBe(true);
      }
    }
  });
});
