// The Grafana dashboards drawn by the app: the same JSON files Grafana loads on kind/EKS, their
// PromQL run against the lab's own Prometheus with Grafana's variables substituted (see
// core/monitoring/dashboard-queries.ts for `$__interval` and `$__rate_interval`).
import type { DashboardInput, PanelDataInput } from '../../contract/inputs.ts';
import type { KartStreamServices } from '../../contract/services.ts';
import type { DashboardView, PanelData } from '../../contract/dashboard-types.ts';
import type { RangeSeries } from '../../contract/wire-types.ts';
import { isKartStreamError, KartStreamError } from '../../errors/kartstream-error.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { loadDashboards } from '../../monitoring/dashboard-model.ts';
import {
  ALL,
  expandExpr,
  intervalSeconds,
  legendName,
  parseLabelValues,
  rateIntervalSeconds,
  variableText,
} from '../../monitoring/dashboard-queries.ts';
import { PrometheusApi } from '../../monitoring/prometheus-api.ts';
import { labMonitoring } from './alert-monitoring.ts';
import { seriesName } from './metrics-service.ts';
import type { ServiceContext } from './service-context.ts';

const findDashboard = async (uid: string): Promise<DashboardView> => {
  const all = await loadDashboards();
  const found = all.find((d) => d.uid === uid);
  if (found) return found;
  throw new KartStreamError('not-found', `there is no dashboard ${uid}`, {
    details: [`dashboards: ${all.map((d) => d.uid).join(', ')}`],
    fix: 'pick one of the dashboards listed',
  });
};

const labPrometheus = async (lab: string): Promise<PrometheusApi> => {
  const found = await labMonitoring(await requireLabRecord(lab));
  if ('reason' in found) throw new KartStreamError('not-found', found.reason, { fix: found.fix });
  return new PrometheusApi(found.monitoring.prometheus);
};

const variableValuesOf = async (
  prometheus: PrometheusApi,
  dashboard: DashboardView,
): Promise<Record<string, string[]>> => {
  const out: Record<string, string[]> = {};
  for (const v of dashboard.variables) {
    const { selector, label } = parseLabelValues(v.query);
    out[v.name] = await prometheus.labelValues(label, selector);
  }
  return out;
};

// A query Prometheus refuses names the dashboard, the panel and the query sent.
const explained = async <T>(where: string, query: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (isKartStreamError(error) && error.code === 'invalid-input')
      throw new KartStreamError('invalid-input', `${where}: ${error.message}`, {
        cause: error,
        details: [`query: ${query}`],
        fix: 'correct the panel PromQL in the dashboard file (manifests/monitoring/base/dashboards)',
      });
    throw error;
  }
};

const finite = (v: string): number | null => (Number.isFinite(Number(v)) ? Number(v) : null);

export const createDashboardsService = (_ctx: ServiceContext): KartStreamServices['dashboards'] => ({
  list: () => loadDashboards(),

  variableValues: async ({ lab, uid }: DashboardInput) =>
    variableValuesOf(await labPrometheus(lab), await findDashboard(uid)),

  panel: async ({ lab, uid, panelId, vars, minutes }: PanelDataInput): Promise<PanelData> => {
    const dashboard = await findDashboard(uid);
    const panel = dashboard.panels.find((p) => p.id === panelId);
    if (!panel)
      throw new KartStreamError('not-found', `dashboard ${uid} has no panel ${panelId}`, {
        fix: 'pick a panel the dashboard lists',
      });
    const prometheus = await labPrometheus(lab);
    const scrapeSeconds = await prometheus.scrapeIntervalSeconds();
    const rangeSeconds = minutes * 60;
    const interval = intervalSeconds(rangeSeconds, scrapeSeconds);
    const data: PanelData = {
      panelId,
      render: panel.render,
      series: [],
      values: [],
      queries: [],
      intervalSeconds: interval,
      rateIntervalSeconds: rateIntervalSeconds(interval, scrapeSeconds),
    };
    if (panel.render === 'unsupported') return data;

    // "All" without an allValue needs the variable's values to list them.
    const needsValues = dashboard.variables.some(
      (v) => !v.allValue && (vars[v.name] === undefined || vars[v.name] === ALL),
    );
    const known = needsValues ? await variableValuesOf(prometheus, dashboard) : {};
    const texts = Object.fromEntries(
      dashboard.variables.map((v) => [v.name, variableText(v, vars[v.name], known[v.name] ?? [])]),
    );
    const where = `${dashboard.title}, panel "${panel.title}"`;
    const end = new Date();
    const start = new Date(end.getTime() - rangeSeconds * 1000);
    for (const target of panel.targets) {
      const query = expandExpr(target.expr, texts, { rangeSeconds, scrapeSeconds });
      data.queries.push(query);
      if (panel.render === 'timeseries') {
        const result = await explained(where, query, () =>
          prometheus.queryRange(query, start, end, interval),
        );
        data.series.push(
          ...result.result.map((s): RangeSeries => ({
            name: legendName(target.legendFormat, s.metric) ?? seriesName(s.metric),
            labels: s.metric,
            // NaN and ±Inf cannot travel as JSON numbers: they are left out (a gap in the chart).
            points: s.values
              .map(([t, v]): [number, number] => [t, Number(v)])
              .filter(([, v]) => Number.isFinite(v)),
          })),
        );
      } else {
        // Stat and bar gauge: the value now (Grafana's instant query; `lastNotNull` of a range
        // query ends at the same sample).
        const result = await explained(where, query, () => prometheus.query(query));
        data.values.push(
          ...result.result.map((s) => ({
            name: legendName(target.legendFormat, s.metric) ?? seriesName(s.metric),
            value: finite(s.value[1]),
          })),
        );
      }
    }
    data.series.sort((a, b) => a.name.localeCompare(b.name));
    data.values.sort((a, b) => a.name.localeCompare(b.name));
    return data;
  },
});
