// Dashboards: the Grafana dashboards of manifests/monitoring (the files Grafana loads on kind and
// EKS) drawn by the app from the lab's own Prometheus, with their pool/service variables as
// dropdowns. Where Grafana runs (kind, EKS), "Open Grafana" port-forwards it and opens it.
import { useEffect, useState } from 'react';
import type { DashboardView } from '../../../core/contract/dashboard-types.ts';
import type { LabInfo, WireError } from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { DashboardPanel, REFRESH_MS, ROW_PX } from './dashboards/DashboardPanel.tsx';
import './dashboards/dashboards.css';

/** Grafana's value for "All". */
const ALL = '$__all';

const OpenGrafana = ({ lab, info, uid }: { lab: string; info: LabInfo; uid: string }) => {
  const [url, setUrl] = useState(info.grafanaUrl);
  const [error, setError] = useState<WireError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setUrl(info.grafanaUrl), [info.grafanaUrl]);
  const open = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const forward = await api.grafana.open.mutate({ lab });
      setUrl(forward.url);
      // In a browser: a new tab; in the desktop app the shell hands it to the system browser.
      window.open(`${forward.url}/d/${uid}`, '_blank', 'noopener,noreferrer');
    } catch (cause) {
      setError(wireErrorOf(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="dsh-grafana">
      <button type="button" className="button" data-testid="grafana-open" disabled={busy} onClick={open}>
        {busy ? 'Opening Grafana…' : 'Open Grafana ↗'}
      </button>
      {url && (
        <a data-testid="grafana-url" href={`${url}/d/${uid}`} target="_blank" rel="noreferrer noopener">
          {url}
        </a>
      )}
      <ErrorMessage error={error} />
    </div>
  );
};

const Variables = ({
  lab,
  dashboard,
  vars,
  onChange,
}: {
  lab: string;
  dashboard: DashboardView;
  vars: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) => {
  const values = useQuery(
    () => api.dashboards.variableValues.query({ lab, uid: dashboard.uid }),
    [lab, dashboard.uid],
  );
  // Re-read with the panels: a young lab's Prometheus has not yet recorded every series a
  // variable lists (e.g. the pool recording rule), and pools or services come and go.
  const { reload } = values;
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  if (dashboard.variables.length === 0) return null;
  return (
    <div className="dsh-vars">
      <ErrorMessage error={values.error} />
      {dashboard.variables.map((v) => (
        <label key={v.name}>
          <span>{v.label}</span>
          <select
            data-testid={`var-${v.name}`}
            value={vars[v.name] ?? ALL}
            onChange={(e) => onChange(v.name, e.target.value)}
          >
            {v.includeAll && <option value={ALL}>All</option>}
            {values.data?.[v.name]?.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  );
};

export const DashboardsView = ({ lab }: { lab: string }) => {
  const dashboards = useQuery(() => api.dashboards.list.query(), []);
  const labInfo = useQuery(() => api.labs.info.query({ lab }), [lab]);
  const [uid, setUid] = useState<string>();
  const [vars, setVars] = useState<Record<string, string>>({});
  useEffect(() => setVars({}), [lab, uid]);
  const dashboard = dashboards.data?.find((d) => d.uid === uid) ?? dashboards.data?.[0];
  const info = labInfo.data;
  const inCluster = info !== undefined && info.backend !== 'sim';
  const unavailable = !info
    ? 'Reading the lab…'
    : !info.monitoring
      ? inCluster
        ? "This lab's Prometheus runs in its cluster: open Grafana for these dashboards."
        : 'This lab runs without monitoring.'
      : undefined;

  return (
    <div className="dsh-view" data-testid="dashboards-view">
      <header className="dsh-head">
        <h2>Dashboards</h2>
        <nav className="dsh-tabs" aria-label="Dashboards">
          {dashboards.data?.map((d) => (
            <button
              type="button"
              key={d.uid}
              className={d.uid === dashboard?.uid ? 'dsh-tab active' : 'dsh-tab'}
              aria-pressed={d.uid === dashboard?.uid}
              data-testid={`dashboard-tab-${d.uid}`}
              onClick={() => setUid(d.uid)}
            >
              {d.title}
            </button>
          ))}
        </nav>
        {info && inCluster && dashboard && <OpenGrafana lab={lab} info={info} uid={dashboard.uid} />}
      </header>
      <ErrorMessage error={dashboards.error ?? labInfo.error} />
      {dashboard && (
        <section data-testid={`dashboard-${dashboard.uid}`} aria-label={dashboard.title}>
          <p className="dsh-explain">
            {dashboard.description} The same dashboard file Grafana loads on kind and EKS (
            <code>{dashboard.file}</code>), drawn here from the lab’s Prometheus: the last{' '}
            {dashboard.rangeMinutes} minutes, refreshed every 15 s.
          </p>
          {!unavailable && (
            <Variables
              lab={lab}
              dashboard={dashboard}
              vars={vars}
              onChange={(name, value) => setVars((v) => ({ ...v, [name]: value }))}
            />
          )}
          <div className="dsh-grid" style={{ gridAutoRows: `${ROW_PX}px` }}>
            {dashboard.panels.map((panel) => (
              <DashboardPanel
                key={`${dashboard.uid}-${panel.id}`}
                lab={lab}
                uid={dashboard.uid}
                panel={panel}
                vars={vars}
                minutes={dashboard.rangeMinutes}
                unavailable={unavailable}
              />
            ))}
          </div>
        </section>
      )}
    </div>
  );
};
