// The Grafana dashboards shipped in the `grafana-dashboards` ConfigMap (from
// manifests/monitoring/base/dashboards/*.json): two parseable dashboards, "Shop overview" and
// "Node pools", whose queries are valid PromQL (checked by the real promtool, which must be
// installed: apt-get install prometheus) over series that exist: kube-state-metrics series listed
// in manifests/monitoring/ksm-series.yaml, the recording rules, and Prometheus' ALERTS.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { expandExpr } from '../../../core/monitoring/dashboard-queries.ts';
import type { K8sObject } from '../manifests/render.ts';
import {
  configMapOfVolume,
  findPromtool,
  lazyTool,
  loadRules,
  loadSeriesContract,
  promqlNames,
  recordingRules,
  renderMonitoring,
  run,
  type RuleGroup,
  type SeriesContract,
} from './tools.ts';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
}

const promtool = lazyTool(findPromtool);
let rendered: K8sObject[];
let groups: RuleGroup[];
let contract: SeriesContract;
let tmp: string | undefined;

beforeAll(async () => {
  await promtool.load();
  // The overlays render the same objects (manifests.test.ts checks it); kind stands for all.
  rendered = await renderMonitoring('kind');
  groups = await loadRules();
  contract = await loadSeriesContract();
}, 60_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the Grafana dashboards', () => {
  const objs = (): K8sObject[] => rendered;
  const dashboards = (): Dashboard[] =>
    Object.values(configMapOfVolume(objs(), 'grafana', 'dashboards').data ?? {}).map(
      (t) => JSON.parse(t) as Dashboard,
    );
  const exprs = (d: Dashboard): string[] => d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it('are two parseable dashboards, "Shop overview" and "Node pools", with unique uids', () => {
    const ds = dashboards();
    expect(ds.map((d) => d.title).sort()).toEqual(['Node pools', 'Shop overview']);
    expect(new Set(ds.map((d) => d.uid)).size).toBe(2);
    for (const d of ds) expect(d.schemaVersion, d.title).toBeGreaterThan(30);
  });

  it('lay out panels with unique ids on the 24-column grid, each querying the provisioned Prometheus', () => {
    for (const d of dashboards()) {
      expect(d.panels.length, d.title).toBeGreaterThan(3);
      expect(new Set(d.panels.map((p) => p.id)).size, d.title).toBe(d.panels.length);
      for (const p of d.panels) {
        expect(p.gridPos.x + p.gridPos.w, `${d.title}: ${p.title}`).toBeLessThanOrEqual(24);
        expect(p.datasource, `${d.title}: ${p.title}`).toEqual({ type: 'prometheus', uid: 'prometheus' });
        expect(p.targets?.length, `${d.title}: ${p.title}`).toBeGreaterThan(0);
        for (const t of p.targets ?? [])
          expect(t.datasource?.uid, `${d.title}: ${p.title}`).toBe('prometheus');
      }
    }
  });

  it('show per service: available replicas, restarts and pod phase (Shop overview)', () => {
    const shop = dashboards().find((d) => d.title === 'Shop overview') as Dashboard;
    const all = exprs(shop).join('\n');
    for (const m of [
      'kube_deployment_status_replicas_available',
      'kube_pod_container_status_restarts_total',
      'kube_pod_status_phase',
    ]) {
      expect(all, m).toContain(m);
    }
  });

  it('show per pool: ready nodes, pods per pool and pending pods (Node pools)', () => {
    const pools = dashboards().find((d) => d.title === 'Node pools') as Dashboard;
    const byPool = exprs(pools).filter((e) => /by \(pool\)/.test(e));
    expect(
      byPool.some((e) => e.includes('kube_node_status_condition{condition="Ready", status="true"}')),
    ).toBe(true);
    expect(byPool.some((e) => e.includes('kube_pod_info{node!=""}'))).toBe(true);
    expect(byPool.some((e) => e.includes('phase="Pending"'))).toBe(true);
  });

  it('query only series that exist: kube-state-metrics (ksm-series.yaml), the recording rules, ALERTS', () => {
    const known = new Set([
      ...Object.keys(contract.metrics),
      ...Object.keys(contract.builtin),
      ...recordingRules(groups).map((r) => r.record),
    ]);
    for (const d of dashboards()) {
      for (const e of exprs(d)) {
        const { metrics } = promqlNames(e);
        expect(metrics.size, e).toBeGreaterThan(0);
        for (const m of metrics) expect(known.has(m), `${d.title} reads ${m}`).toBe(true);
      }
    }
  });

  it('write every query in valid PromQL (promtool parses them as recording rules)', async () => {
    const tool = promtool.get();
    // Variables as Grafana substitutes them with "All" chosen (dashboard-model.test.ts covers the rest).
    const texts = { pool: '.*', service: '.*' };
    const rules = dashboards().flatMap((d) =>
      exprs(d).map((expr, i) => ({
        record: `dashboard_${d.uid.replaceAll('-', '_')}_${i}`,
        expr: expandExpr(expr, texts, { rangeSeconds: 1800, scrapeSeconds: 15 }),
      })),
    );
    tmp = await mkdtemp(path.join(tmpdir(), 'kartstream-dashboards-'));
    const file = path.join(tmp, 'dashboard-queries.yaml');
    await writeFile(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
    const r = await run(tool, ['check', 'rules', file]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
