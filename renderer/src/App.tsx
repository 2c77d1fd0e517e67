// The app shell: top bar (lab picker and the lab's state), left navigation, the view of the
// moment, and the terminal dock. The view and the lab live in the URL hash, so a reload keeps
// them; the token stays in the path and in memory.
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, LabSummary } from '../../core/contract/wire-types.ts';
import { api } from './api/client.ts';
import { useQuery } from './api/hooks.ts';
import { CapabilitiesProvider } from './components/capabilities.tsx';
import { ErrorMessage } from './components/ErrorMessage.tsx';
import { formatHash, parseHash, pickLab, type ViewName } from './components/hash-route.ts';
import { TerminalDock } from './components/TerminalDock.tsx';
import { AlertsView } from './views/AlertsView.tsx';
import { DashboardsView } from './views/DashboardsView.tsx';
import { LabsView, type LabTask } from './views/LabsView.tsx';
import { MapView } from './views/map/MapView.tsx';
import { PromoteView } from './views/PromoteView.tsx';
import { ScenariosView } from './views/ScenariosView.tsx';
import { ServiceGraphView } from './views/ServiceGraphView.tsx';
import { ShareView } from './views/ShareView.tsx';
import { TimelineView } from './views/TimelineView.tsx';
import { GamedayView } from './views/GamedayView.tsx';

const NAV: { view: ViewName; label: string; icon: string }[] = [
  { view: 'labs', label: 'Labs', icon: '▤' },
  { view: 'map', label: 'Cluster map', icon: '▦' },
  { view: 'graph', label: 'Service graph', icon: '⇄' },
  { view: 'scenarios', label: 'Scenarios', icon: '▶' },
  { view: 'alerts', label: 'Alerts', icon: '⚠' },
  { view: 'dashboards', label: 'Dashboards', icon: '▥' },
  { view: 'promote', label: 'Promote', icon: '☁' },
  { view: 'timeline', label: 'Timeline', icon: '☰' },
  { view: 'share', label: 'Share', icon: '⚑' },
  { view: 'gameday', label: 'Game day', icon: '⚔' },
];

/** While a lab is being created its state changes on the server: look again this often. */
const CREATING_POLL_MS = 3000;

const NoLab = ({ onCreate }: { onCreate: () => void }) => (
  <div className="empty-state">
    <h2>No lab yet — create one</h2>
    <p>This view works on a lab. Create one first; it takes a minute or three.</p>
    <button type="button" className="button primary" onClick={onCreate}>
      Create a lab
    </button>
  </div>
);

const LabStatus = ({ lab }: { lab: LabSummary | undefined }) =>
  lab ? (
    <span className="lab-status" data-testid="lab-status" data-state={lab.state}>
      <span className={`badge state-${lab.state}`}>{lab.state}</span>
      <span className="badge">{lab.backend}</span>
      <span className="badge">{lab.monitoring ? 'monitoring on' : 'monitoring off'}</span>
    </span>
  ) : null;

export const App = () => {
  const info = useQuery<AppInfo>(() => api.app.info.query(), []);
  const labs = useQuery<LabSummary[]>(() => api.labs.list.query(), []);
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  const [labTask, setLabTask] = useState<LabTask>();

  useEffect(() => {
    const onHash = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const reloadLabs = labs.reload;
  useEffect(() => {
    window.addEventListener('focus', reloadLabs);
    return () => window.removeEventListener('focus', reloadLabs);
  }, [reloadLabs]);
  const creating = labs.data?.some((l) => l.state === 'creating') ?? false;
  useEffect(() => {
    if (!creating) return;
    const timer = window.setInterval(reloadLabs, CREATING_POLL_MS);
    return () => window.clearInterval(timer);
  }, [creating, reloadLabs]);

  const lab = labs.data ? pickLab(labs.data, route.lab, info.data?.defaultLab) : route.lab;
  const view: ViewName | undefined =
    route.view ?? (labs.data ? (labs.data.length === 0 ? 'labs' : 'map') : undefined);
  const summary = labs.data?.find((l) => l.name === lab);

  const go = useCallback((next: ViewName, nextLab: string | undefined) => {
    window.location.hash = formatHash({ view: next, lab: nextLab });
  }, []);

  // The view picked by default (labs when there are none, else the map) is kept in the address
  // once chosen: creating the first lab must not swap the labs view (and its task) for the map.
  useEffect(() => {
    if (route.view || !view) return;
    const hash = formatHash({ view, lab });
    window.history.replaceState(null, '', hash);
    setRoute(parseHash(hash));
  }, [route.view, view, lab]);

  let main;
  if (!view || (!labs.data && !labs.error)) main = <p className="placeholder">Loading…</p>;
  else if (view === 'labs')
    main = (
      <LabsView
        labs={labs.data}
        labsError={labs.error}
        selected={lab}
        defaultLab={info.data?.defaultLab ?? 'kartstream'}
        task={labTask}
        onTask={setLabTask}
        onSelect={(name) => go('labs', name)}
        onLabsChanged={reloadLabs}
        onOpenMap={(name) => go('map', name)}
      />
    );
  // Sharing is of the lab the server was started for, whether or not it has been created yet.
  else if (view === 'share') main = <ShareView lab={lab ?? info.data?.defaultLab ?? 'kartstream'} />;
  else if (view === 'gameday') main = <GamedayView lab={lab ?? info.data?.defaultLab ?? 'kartstream'} />;
  else if (!lab) main = <NoLab onCreate={() => go('labs', undefined)} />;
  else if (view === 'map') main = <MapView lab={lab} />;
  else if (view === 'graph') main = <ServiceGraphView lab={lab} />;
  else if (view === 'scenarios') main = <ScenariosView lab={lab} />;
  else if (view === 'alerts') main = <AlertsView lab={lab} />;
  else if (view === 'dashboards') main = <DashboardsView lab={lab} />;
  else if (view === 'timeline') main = <TimelineView lab={lab} />;
  else main = <PromoteView lab={lab} />;

  return (
    <CapabilitiesProvider>
      <div className="app">
        <header className="topbar">
          <a className="brand" href={formatHash({ view: 'labs', lab })}>
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>{' '}
            KartStream
          </a>
          <label className="lab-picker">
            <span>Lab</span>
            <select
              data-testid="lab-picker"
              value={lab ?? ''}
              disabled={!labs.data || labs.data.length === 0}
              onChange={(e) => go(view ?? 'map', e.target.value)}
            >
              {(!labs.data || labs.data.length === 0) && <option value="">no lab yet</option>}
              {labs.data?.map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <LabStatus lab={summary} />
          {info.data && <span className="version muted">v{info.data.version}</span>}
        </header>
        <nav className="sidenav" aria-label="Views">
          <ul>
            {NAV.map((item) => (
              <li key={item.view}>
                <a
                  href={formatHash({ view: item.view, lab })}
                  data-testid={`nav-${item.view}`}
                  aria-current={view === item.view ? 'page' : undefined}
                  className={view === item.view ? 'active' : undefined}
                >
                  <span className="nav-icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="main" id="main">
          <ErrorMessage error={info.error} />
          {main}
        </main>
        <TerminalDock lab={lab} />
      </div>
    </CapabilitiesProvider>
  );
};
