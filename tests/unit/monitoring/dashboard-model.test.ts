// The dashboards as the app draws them (core/monitoring/dashboard-model.ts), over every dashboard
// file Grafana loads: each panel is drawn or listed as unsupported with a reason, a panel type
// nobody handled fails here, and the PromQL's variables are Grafana's, substituted as Grafana does.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DASHBOARDS_DIR,
  DRAWN_PANEL_TYPES,
  dashboardModel,
  loadDashboards,
  UNSUPPORTED_PANEL_TYPES,
} from '../../../core/monitoring/dashboard-model.ts';
import {
  ALL,
  BUILTIN_VARIABLES,
  expandExpr,
  intervalSeconds,
  legendName,
  parseLabelValues,
  rateIntervalSeconds,
  referencedVariables,
  variableText,
} from '../../../core/monitoring/dashboard-queries.ts';
import type { DashboardPanelView } from '../../../core/contract/dashboard-types.ts';

/** A panel the app handles: drawn, or left to Grafana for a reason written down in the model. */
const handled = (p: DashboardPanelView): boolean =>
  p.render !== 'unsupported' ? p.type in DRAWN_PANEL_TYPES : p.reason === UNSUPPORTED_PANEL_TYPES[p.type];

const rawPanels = async (): Promise<{ file: string; id: number; type: string }[]> => {
  const files = (await readdir(DASHBOARDS_DIR)).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThan(0);
  const out = [];
  for (const file of files) {
    const json = JSON.parse(await readFile(join(DASHBOARDS_DIR, file), 'utf8')) as {
      panels: { id: number; type: string }[];
    };
    out.push(...json.panels.map((p) => ({ file, id: p.id, type: p.type })));
  }
  return out;
};

describe('the dashboards as the app draws them', () => {
  it('model every panel of every dashboard file: drawn, or unsupported with the reason', async () => {
    const dashboards = await loadDashboards();
    const modelled = dashboards.flatMap((d) =>
      d.panels.map((p) => ({ file: d.file, id: p.id, type: p.type })),
    );
    expect(modelled).toEqual(await rawPanels());
    for (const d of dashboards)
      for (const p of d.panels) {
        expect(
          handled(p),
          `${d.file} panel ${p.id} (${p.type}) is neither drawn nor listed as unsupported`,
        ).toBe(true);
        if (p.render === 'unsupported') expect(p.reason, `${d.file} panel ${p.id}`).toMatch(/\w{10}/);
        else expect(p.targets.length, `${d.file} panel ${p.id}`).toBeGreaterThan(0);
      }
    // Both dashboards have drawn timeseries and stat-like panels.
    const renders = new Set(dashboards.flatMap((d) => d.panels.map((p) => p.render)));
    expect(renders).toEqual(new Set(['timeseries', 'stat', 'bargauge', 'unsupported']));
  });

  it('flag a panel type nobody handled (so a new one in a file fails the test above)', () => {
    const file = JSON.stringify({
      uid: 'x',
      title: 'X',
      panels: [{ id: 1, type: 'piechart', title: 'Pie', targets: [{ refId: 'A', expr: 'up' }] }],
    });
    const [pie] = dashboardModel('x.json', file).panels;
    expect(pie?.render).toBe('unsupported');
    expect(pie?.reason).toBe('the app has no renderer for piechart panels');
    expect(handled(pie as DashboardPanelView)).toBe(false);
  });

  it('offer a pool variable (Node pools) and a service variable (Shop overview) from label_values', async () => {
    const byUid = new Map((await loadDashboards()).map((d) => [d.uid, d]));
    const pool = byUid.get('kartstream-node-pools')?.variables;
    const service = byUid.get('kartstream-shop-overview')?.variables;
    expect(pool?.map((v) => [v.name, parseLabelValues(v.query).label, v.includeAll])).toEqual([
      ['pool', 'pool', true],
    ]);
    expect(service?.map((v) => [v.name, parseLabelValues(v.query).label, v.includeAll])).toEqual([
      ['service', 'deployment', true],
    ]);
  });

  it('use only variables the dashboard defines or Grafana builds in, each inside a =~ matcher', async () => {
    const used = new Set<string>();
    for (const d of await loadDashboards()) {
      const names = new Set<string>([...d.variables.map((v) => v.name), ...BUILTIN_VARIABLES]);
      for (const p of d.panels)
        for (const t of p.targets)
          for (const name of referencedVariables(t.expr)) {
            used.add(name);
            expect(names.has(name), `${d.title} panel ${p.id} uses $${name}`).toBe(true);
            if (!name.startsWith('__'))
              expect(t.expr, `${d.title} panel ${p.id}`).toMatch(new RegExp(`=~"[^"]*\\$${name}[^"]*"`));
          }
    }
    // Every variable is used, and the restart rate panel shows $__rate_interval at work.
    expect([...used].sort()).toEqual(['__rate_interval', 'pool', 'service']);
  });

  it('give a bad dashboard file a message naming the file and what is wrong', () => {
    expect(() => dashboardModel('broken.json', '{ nope')).toThrow(/dashboard broken\.json: not JSON/);
    const custom = JSON.stringify({
      uid: 'x',
      title: 'X',
      templating: { list: [{ name: 'env', type: 'custom' }] },
    });
    expect(() => dashboardModel('custom.json', custom)).toThrow(
      /dashboard custom\.json: variable env: only query variables of the form label_values/,
    );
  });
});

describe("Grafana's variables, substituted", () => {
  const service = { name: 'service', label: 'Service', query: 'label_values(up, job)', includeAll: true };

  it('size $__interval from the range (300 points, never below the scrape) and $__rate_interval as Grafana does', () => {
    // 30 minutes, 15 s scrape: 1800/300 = 6 s < 15 s, so 15 s; rate: max(15+15, 4×15) = 60 s.
    expect(intervalSeconds(1800, 15)).toBe(15);
    expect(rateIntervalSeconds(15, 15)).toBe(60);
    // 24 hours, 5 s scrape: 86400/300 = 288 s; rate: max(288+5, 20) = 293 s.
    expect(intervalSeconds(86_400, 5)).toBe(288);
    expect(rateIntervalSeconds(288, 5)).toBe(293);
    const expr = 'rate(x{service=~"$service"}[$__rate_interval]) / $__range_s_unused';
    expect(() => expandExpr(expr, { service: '.*' }, { rangeSeconds: 1800, scrapeSeconds: 5 })).toThrow(
      /uses \$__range_s_unused, which the dashboard does not define/,
    );
    expect(
      expandExpr(
        'increase(x{service=~"${service}"}[$__range]) + rate(x[$__rate_interval])',
        { service: '.*' },
        {
          rangeSeconds: 1800,
          scrapeSeconds: 5,
        },
      ),
    ).toBe('increase(x{service=~".*"}[1800s]) + rate(x[20s])');
  });

  it('stand All for the allValue (or every value), and escape a chosen value for a =~ matcher', () => {
    expect(variableText({ ...service, allValue: '.*' }, ALL, ['a', 'b'])).toBe('.*');
    expect(variableText(service, undefined, ['cart', 'ad.v2'])).toBe(String.raw`(cart|ad\\.v2)`);
    expect(variableText(service, 'cartservice', [])).toBe('cartservice');
    expect(variableText(service, 'a"b(c)', [])).toBe(String.raw`a\"b\\(c\\)`);
  });

  it("name series by the target's legend template", () => {
    expect(legendName('{{service}} {{phase}}', { service: 'cart', phase: 'Running' })).toBe('cart Running');
    expect(legendName('', { service: 'cart' })).toBeUndefined();
  });
});
