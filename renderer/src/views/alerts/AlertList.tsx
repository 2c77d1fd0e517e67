// The lab's alerts as they are now: firing first, then pending, then resolved, with how long ago
// each one started.
import type { AlertView } from '../../../../core/contract/wire-types.ts';
import { useNow } from '../scenarios/use-now.ts';
import { timeAgo } from './relative-time.ts';

const ORDER: Record<AlertView['state'], number> = { firing: 0, pending: 1, resolved: 2 };

export const sortAlerts = (alerts: AlertView[]): AlertView[] =>
  [...alerts].sort(
    (a, b) =>
      ORDER[a.state] - ORDER[b.state] ||
      b.since.localeCompare(a.since) ||
      a.name.localeCompare(b.name) ||
      a.summary.localeCompare(b.summary),
  );

/** Stable, unique row keys: alerts of one rule differ only by labels the view does not get. */
const keyed = (alerts: AlertView[]): { key: string; alert: AlertView }[] => {
  const seen = new Map<string, number>();
  return alerts.map((alert) => {
    const base = [alert.name, alert.pool, alert.service, alert.summary].join('|');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: n ? `${base}|${n}` : base, alert };
  });
};

export const AlertList = ({ alerts }: { alerts: AlertView[] }) => {
  const now = useNow(5000);
  if (alerts.length === 0)
    return <p className="alr-quiet">No alerts: the shop and its pools look healthy.</p>;
  return (
    <div className="alr-table-box">
      <table className="alr-table">
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Alert</th>
            <th scope="col">Severity</th>
            <th scope="col">Pool</th>
            <th scope="col">Service</th>
            <th scope="col">Since</th>
            <th scope="col">Summary</th>
          </tr>
        </thead>
        <tbody>
          {keyed(sortAlerts(alerts)).map(({ key, alert }) => (
            <tr
              key={key}
              className={`alr-row alr-${alert.state}`}
              data-testid={`alert-row-${alert.name}`}
              data-state={alert.state}
              data-service={alert.service}
            >
              <td>
                <span className={`alr-state alr-state-${alert.state}`}>{alert.state}</span>
                {alert.suppressed && <span className="alr-suppressed"> (silenced)</span>}
              </td>
              <td className="alr-name">{alert.name}</td>
              <td>
                <span className={`alr-sev alr-sev-${alert.severity}`}>{alert.severity || '—'}</span>
              </td>
              <td>{alert.pool || '—'}</td>
              <td>{alert.service || '—'}</td>
              <td>
                <time dateTime={alert.since} title={new Date(alert.since).toLocaleString()}>
                  {timeAgo(alert.since, now)}
                </time>
              </td>
              <td>{alert.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
