// Alerts: the lab's live alert list (from Alertmanager and the rules) and a few PromQL series
// that teach how the shop and its pools behave, with a link to Grafana where it runs.
import { useEffect, useState } from 'react';
import { TEACHING_QUERIES } from '../../../core/contract/teaching-queries.ts';
import type { AlertsMessage } from '../../../core/contract/wire-types.ts';
import { api } from '../api/client.ts';
import { useQuery, useSubscription } from '../api/hooks.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { AlertList } from './alerts/AlertList.tsx';
import { TeachingChart } from './alerts/TeachingChart.tsx';
import './alerts/alerts.css';

export const AlertsView = ({ lab }: { lab: string }) => {
  const [message, setMessage] = useState<AlertsMessage>();
  const labInfo = useQuery(() => api.labs.info.query({ lab }), [lab]);
  useEffect(() => setMessage(undefined), [lab]);
  const watchError = useSubscription<AlertsMessage>(
    (handlers) => api.alerts.watch.subscribe({ lab }, handlers),
    setMessage,
    [lab],
  );
  const unavailable =
    message && !message.available ? (message.reason ?? 'this lab has no monitoring') : undefined;
  const firing = message?.alerts.filter((a) => a.state === 'firing').length ?? 0;
  const grafana = labInfo.data?.grafanaUrl;

  return (
    <div
      className="alr-view"
      data-testid="alerts-view"
      data-available={message ? String(message.available) : ''}
    >
      <section aria-labelledby="alr-title" className="alr-section">
        <header className="alr-head">
          <h2 id="alr-title">Alerts</h2>
          <span className="alr-count" aria-live="polite">
            {message?.available ? `${firing} firing` : ''}
          </span>
          {grafana && (
            <a className="alr-grafana" href={grafana} target="_blank" rel="noreferrer noopener">
              Open Grafana ↗
            </a>
          )}
        </header>
        <ErrorMessage error={watchError} />
        {!message && !watchError && <p className="alr-quiet">Reading the lab’s alerts…</p>}
        {unavailable && (
          <p className="alr-unavailable" data-testid="alerts-unavailable">
            Alerts are not available: {unavailable}
          </p>
        )}
        {message?.available && <AlertList alerts={message.alerts} />}
      </section>

      <section aria-labelledby="alr-charts-title" className="alr-section">
        <h2 id="alr-charts-title">What the metrics say</h2>
        <ErrorMessage error={labInfo.error} />
        <div className="alr-charts">
          {TEACHING_QUERIES.map((query) => (
            <TeachingChart
              key={query.id}
              lab={lab}
              labCreatedAt={labInfo.data?.createdAt}
              query={query}
              unavailable={message ? unavailable : 'waiting for the lab’s monitoring…'}
            />
          ))}
        </div>
      </section>
    </div>
  );
};
