// One panel of a dashboard: its data from the server (the target's PromQL with the variables
// substituted, against the lab's Prometheus) every 15 s, drawn as a time series, a stat or a bar
// gauge; a panel the app does not draw says why, and that Grafana draws it.
import { useEffect, useState } from 'react';
import type { DashboardPanelView, PanelData } from '../../../../core/contract/dashboard-types.ts';
import type { WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { TimeseriesPlot } from './TimeseriesPlot.tsx';

/** How often panels (and the variables' values) are read again. */
export const REFRESH_MS = 15_000;
/** Grafana's grid row height, in pixels. */
export const ROW_PX = 30;

const formatValue = (value: number | null): string =>
  value === null ? '—' : String(Math.round(value * 100) / 100);

const StatValues = ({ data }: { data: PanelData }) => (
  <div className="dsh-stat">
    {data.values.length === 0 && <span className="dsh-note">No value</span>}
    {data.values.map((v) => (
      <div key={v.name} className="dsh-stat-item">
        <span className="dsh-stat-value" data-testid="stat-value" data-value={v.value ?? ''}>
          {formatValue(v.value)}
        </span>
        {data.values.length > 1 && <span className="dsh-stat-name">{v.name}</span>}
      </div>
    ))}
  </div>
);

const BarGauge = ({ data }: { data: PanelData }) => {
  const max = Math.max(1, ...data.values.map((v) => v.value ?? 0));
  return (
    <ul className="dsh-bars">
      {data.values.length === 0 && <li className="dsh-note">No series</li>}
      {data.values.map((v) => (
        <li key={v.name} data-testid="bar" data-value={v.value ?? ''}>
          <span className="dsh-bar-name">{v.name}</span>
          <span className="dsh-bar-track">
            <span className="dsh-bar-fill" style={{ width: `${((v.value ?? 0) / max) * 100}%` }} />
          </span>
          <span className="dsh-bar-value">{formatValue(v.value)}</span>
        </li>
      ))}
    </ul>
  );
};

export const DashboardPanel = ({
  lab,
  uid,
  panel,
  vars,
  minutes,
  unavailable,
}: {
  lab: string;
  uid: string;
  panel: DashboardPanelView;
  vars: Record<string, string>;
  minutes: number;
  /** Why the lab's metrics cannot be read (then nothing is queried). */
  unavailable?: string;
}) => {
  const [data, setData] = useState<PanelData>();
  const [error, setError] = useState<WireError>();
  const varsKey = JSON.stringify(vars);
  const drawn = panel.render !== 'unsupported';

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    if (!drawn || unavailable) return;
    let live = true;
    const load = () =>
      api.dashboards.panel
        .query({ lab, uid, panelId: panel.id, vars: JSON.parse(varsKey) as Record<string, string>, minutes })
        .then(
          (result) => {
            if (!live) return;
            setData(result);
            setError(undefined);
          },
          (cause: unknown) => live && setError(wireErrorOf(cause)),
        );
    void load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [lab, uid, panel.id, varsKey, minutes, drawn, unavailable]);

  const { x, y, w, h } = panel.gridPos;
  const points = data?.series.reduce((n, s) => n + s.points.length, 0) ?? 0;
  return (
    <section
      className={`dsh-panel dsh-${panel.render}`}
      style={{ gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}` }}
      data-testid={drawn ? `panel-${panel.id}` : `panel-unsupported-${panel.id}`}
      data-render={panel.render}
      data-loaded={data ? 'true' : 'false'}
      data-series={data ? data.series.length + data.values.length : 0}
      data-points={points}
      aria-labelledby={`dsh-panel-${uid}-${panel.id}`}
    >
      <h3 id={`dsh-panel-${uid}-${panel.id}`} title={panel.description}>
        {panel.title}
      </h3>
      <div className="dsh-body">
        {!drawn && (
          <p className="dsh-note" data-testid="panel-reason">
            Not drawn here ({panel.type}): {panel.reason}. Grafana shows it on kind and EKS.
          </p>
        )}
        {drawn && unavailable && <p className="dsh-note">{unavailable}</p>}
        {drawn && !unavailable && !data && !error && <p className="dsh-note">Loading…</p>}
        <ErrorMessage error={error} />
        {data?.render === 'timeseries' &&
          (data.series.length === 0 ? (
            <p className="dsh-note">No series for this query yet.</p>
          ) : (
            <TimeseriesPlot
              series={data.series}
              minutes={minutes}
              height={Math.max(80, h * ROW_PX - 110)}
              label={panel.title}
            />
          ))}
        {data?.render === 'stat' && <StatValues data={data} />}
        {data?.render === 'bargauge' && <BarGauge data={data} />}
      </div>
      {drawn && (
        <details className="dsh-query">
          <summary>PromQL</summary>
          <code>{(data?.queries ?? panel.targets.map((t) => t.expr)).join('\n\n')}</code>
          {data && (
            <p className="dsh-note">
              $__interval {data.intervalSeconds}s, $__rate_interval {data.rateIntervalSeconds}s
            </p>
          )}
        </details>
      )}
    </section>
  );
};
