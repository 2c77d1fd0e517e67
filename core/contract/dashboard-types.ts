// The wire types of the Dashboards view: the Grafana dashboard files as the app draws them
// (core/monitoring/dashboard-model.ts) and one panel's data.
import type { RangeSeries } from './wire-types.ts';

/** How the app draws a Grafana panel type, or `unsupported` (then `reason` says why). */
export type PanelRender = 'timeseries' | 'stat' | 'bargauge' | 'unsupported';

export interface DashboardTargetView {
  refId: string;
  /** The PromQL as written in the dashboard file (variables not yet substituted). */
  expr: string;
  /** Grafana's legend template, e.g. `{{service}}`; empty: the series' labels. */
  legendFormat: string;
  /** An instant query (the value now) rather than a range. */
  instant: boolean;
}

export interface DashboardPanelView {
  id: number;
  title: string;
  description: string;
  /** Grafana's panel type, e.g. `timeseries`, `table`. */
  type: string;
  render: PanelRender;
  /** Why the app does not draw it (render `unsupported`). */
  reason?: string;
  /** Grafana's 24-column grid position. */
  gridPos: { x: number; y: number; w: number; h: number };
  unit?: string;
  targets: DashboardTargetView[];
}

export interface DashboardVariableView {
  name: string;
  label: string;
  /** `label_values(<selector>, <label>)`, as Grafana runs it. */
  query: string;
  /** Offers "All": the variable's `allValue` (e.g. `.*`), else every value as `(a|b)`. */
  includeAll: boolean;
  allValue?: string;
}

export interface DashboardView {
  uid: string;
  title: string;
  description: string;
  /** The dashboard's file under manifests/monitoring/base/dashboards. */
  file: string;
  /** The default time range, minutes back from now (Grafana's `time.from`). */
  rangeMinutes: number;
  variables: DashboardVariableView[];
  panels: DashboardPanelView[];
}

export interface PanelValue {
  name: string;
  value: number | null;
}

export interface PanelData {
  panelId: number;
  render: PanelRender;
  /** Range series (timeseries panels), named by the target's legend. */
  series: RangeSeries[];
  /** One value per series (stat and bar gauge panels). */
  values: PanelValue[];
  /** The queries as sent to Prometheus, variables and intervals substituted. */
  queries: string[];
  /** `$__interval` (also the range step) and `$__rate_interval`, in seconds. */
  intervalSeconds: number;
  rateIntervalSeconds: number;
}
