// The recent Kubernetes events of one object (newest first), from `cluster.events`.
import type { ClusterEventView } from '../../../../core/contract/wire-types.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/hooks.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';

const timeOf = (at: string): string => {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : date.toLocaleTimeString();
};

export const EventList = ({
  lab,
  kind,
  name,
  refreshKey,
}: {
  lab: string;
  kind: 'Node' | 'Pod' | 'Deployment';
  name: string;
  /** Reloads the list when it changes (e.g. the object's state moved). */
  refreshKey: string;
}) => {
  const { data, error, loading, reload } = useQuery<ClusterEventView[]>(
    () => api.cluster.events.query({ lab, kind, name, limit: 20 }),
    [lab, kind, name, refreshKey],
  );
  return (
    <section className="events" aria-label={`events of ${name}`}>
      <header className="events-head">
        <h4>Recent events</h4>
        <button type="button" className="button link small" onClick={reload}>
          Refresh
        </button>
      </header>
      <ErrorMessage error={error} />
      {data && data.length === 0 && <p className="muted">{loading ? 'Loading…' : 'No events.'}</p>}
      {data && data.length > 0 && (
        <ol className="event-list">
          {data.map((event, i) => (
            <li key={`${event.at}-${i}`} className={event.type === 'Warning' ? 'event warning' : 'event'}>
              <span className="event-time">{timeOf(event.at)}</span>
              <span className={`badge ${event.type === 'Warning' ? 'warn' : 'info'}`}>
                {event.type === 'Warning' ? '⚠ ' : ''}
                {event.reason}
              </span>
              {event.count > 1 && <span className="muted"> ×{event.count}</span>}
              <p className="event-message">{event.message}</p>
            </li>
          ))}
        </ol>
      )}
      {!data && loading && <p className="muted">Loading…</p>}
    </section>
  );
};
