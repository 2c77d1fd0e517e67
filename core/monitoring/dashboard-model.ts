// The Grafana dashboards as the app draws them. One source: the JSON files Grafana loads on
// kind/EKS (manifests/monitoring/base/dashboards/*.json). Each panel is drawn by the app
// (timeseries, stat, bar gauge) or listed as unsupported with the reason; a panel type this module
// does not know is unsupported too, and the unit test over every file fails until it is handled.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  DashboardPanelView,
  DashboardTargetView,
  DashboardVariableView,
  DashboardView,
  PanelRender,
} from '../contract/dashboard-types.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { MANIFESTS_DIR } from '../stack/render-overlay.ts';

export const DASHBOARDS_DIR = join(MANIFESTS_DIR, 'monitoring', 'base', 'dashboards');

/** Panel types the app draws, and how. */
export const DRAWN_PANEL_TYPES: Record<string, Exclude<PanelRender, 'unsupported'>> = {
  timeseries: 'timeseries',
  stat: 'stat',
  bargauge: 'bargauge',
};

/** Panel types the app knowingly leaves to Grafana, with the reason shown in their place. */
export const UNSUPPORTED_PANEL_TYPES: Record<string, string> = {
  table:
    'tables (with their joins and column transformations) are drawn by Grafana only; the Alerts view lists firing alerts, the Cluster map shows nodes and pods',
};

interface RawTarget {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  datasource?: { type?: string };
}
interface RawPanel {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  gridPos?: { x?: number; y?: number; w?: number; h?: number };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: RawTarget[];
}
interface RawVariable {
  name?: string;
  label?: string;
  type?: string;
  definition?: string;
  query?: string | { query?: string };
  includeAll?: boolean;
  allValue?: string | null;
}
interface RawDashboard {
  uid?: string;
  title?: string;
  description?: string;
  time?: { from?: string };
  templating?: { list?: RawVariable[] };
  panels?: RawPanel[];
}

const bad = (file: string, what: string): KartStreamError =>
  new KartStreamError('invalid-input', `dashboard ${file}: ${what}`, {
    fix: `correct ${join('manifests/monitoring/base/dashboards', file)} (Grafana's dashboard JSON)`,
  });

// Grafana's `now-30m` style `time.from`, in minutes; anything else: 30.
const rangeMinutesOf = (from: string | undefined): number => {
  const m = /^now-(\d+)([mhd])$/.exec(from ?? '');
  if (!m) return 30;
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'];
};

export const variableModel = (file: string, raw: RawVariable): DashboardVariableView => {
  const query = typeof raw.query === 'string' ? raw.query : (raw.query?.query ?? raw.definition ?? '');
  if (!raw.name) throw bad(file, 'a template variable has no name');
  if (raw.type !== 'query' || !/^label_values\(/.test(query))
    throw bad(
      file,
      `variable ${raw.name}: only query variables of the form label_values(<selector>, <label>) are supported (type ${raw.type}, query ${JSON.stringify(query)})`,
    );
  return {
    name: raw.name,
    label: raw.label ?? raw.name,
    query,
    includeAll: raw.includeAll === true,
    ...(raw.allValue ? { allValue: raw.allValue } : {}),
  };
};

const targetModel = (t: RawTarget): DashboardTargetView => ({
  refId: t.refId ?? 'A',
  expr: t.expr ?? '',
  legendFormat: t.legendFormat ?? '',
  instant: t.instant === true,
});

export const panelModel = (file: string, raw: RawPanel): DashboardPanelView => {
  if (typeof raw.id !== 'number') throw bad(file, `panel ${JSON.stringify(raw.title)} has no numeric id`);
  const type = raw.type ?? '(none)';
  const targets = (raw.targets ?? []).map(targetModel);
  const drawn = DRAWN_PANEL_TYPES[type];
  let render: PanelRender = drawn ?? 'unsupported';
  let reason = drawn
    ? undefined
    : (UNSUPPORTED_PANEL_TYPES[type] ?? `the app has no renderer for ${type} panels`);
  if (drawn && targets.some((t) => !t.expr)) {
    render = 'unsupported';
    reason = 'a target has no PromQL expression (only Prometheus queries are drawn)';
  }
  const g = raw.gridPos ?? {};
  return {
    id: raw.id,
    title: raw.title ?? `panel ${raw.id}`,
    description: raw.description ?? '',
    type,
    render,
    ...(reason ? { reason } : {}),
    gridPos: { x: g.x ?? 0, y: g.y ?? 0, w: g.w ?? 12, h: g.h ?? 8 },
    ...(raw.fieldConfig?.defaults?.unit ? { unit: raw.fieldConfig.defaults.unit } : {}),
    targets,
  };
};

/** One dashboard file's model; throws a clear error for what the app cannot read. */
export const dashboardModel = (file: string, json: string): DashboardView => {
  let raw: RawDashboard;
  try {
    raw = JSON.parse(json) as RawDashboard;
  } catch (error) {
    throw bad(file, `not JSON: ${(error as Error).message}`);
  }
  if (!raw.uid || !raw.title) throw bad(file, 'no uid or title');
  return {
    uid: raw.uid,
    title: raw.title,
    description: raw.description ?? '',
    file,
    rangeMinutes: rangeMinutesOf(raw.time?.from),
    variables: (raw.templating?.list ?? []).map((v) => variableModel(file, v)),
    panels: (raw.panels ?? []).map((p) => panelModel(file, p)),
  };
};

/** Every dashboard file, in file-name order. */
export const loadDashboards = async (dir = DASHBOARDS_DIR): Promise<DashboardView[]> => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => dashboardModel(f, await readFile(join(dir, f), 'utf8'))));
};
