// The Logs panel of a Deployment: the lines of all its pods merged in time order, the pod on each
// line, new lines (and pods that start later) followed as they come (`logs.follow`), or the
// crashed containers' last words (`logs.deployment` with previous), like `kubectl logs --previous`.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LogErrorView, LogLineView } from '../../../../core/contract/log-wire-types.ts';
import { api } from '../../api/client.ts';
import { useQuery, useSubscription } from '../../api/hooks.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { addLogLines, lineTime, MAX_PANEL_LINES, podTone } from './log-lines.ts';

type Mode = 'current' | 'previous';

/** Which Deployment's logs a panel shows. */
export interface LogsTarget {
  namespace: string;
  deployment: string;
}

const LogLines = ({ lines, follow }: { lines: LogLineView[]; follow: boolean }) => {
  const box = useRef<HTMLOListElement>(null);
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  return (
    <ol className="log-lines" ref={box} data-testid="log-lines" aria-label="Log lines">
      {lines.map((line, i) => (
        <li key={i} className="log-line" data-testid="log-line" data-pod={line.pod}>
          <span className={`log-pod pod-tone-${podTone(line.pod)}`} title={`container ${line.container}`}>
            {line.pod}
          </span>
          <time className="log-time" dateTime={line.at}>
            {lineTime(line.at)}
          </time>
          <span className="log-text">{line.text}</span>
        </li>
      ))}
    </ol>
  );
};

const Unreadable = ({ errors }: { errors: LogErrorView[] }) =>
  errors.length === 0 ? null : (
    <ul className="log-errors" data-testid="log-errors" aria-label="Logs that could not be read">
      {errors.map((e) => (
        <li key={`${e.pod}/${e.container}`}>
          {e.pod} ({e.container}): {e.message}
        </li>
      ))}
    </ul>
  );

// New lines as they are written; the panel keeps the newest MAX_PANEL_LINES.
const FollowedLogs = ({ lab, namespace, deployment, pods }: LogsTarget & { lab: string; pods: string[] }) => {
  const [lines, setLines] = useState<LogLineView[]>([]);
  const [errors, setErrors] = useState<Map<string, LogErrorView>>(new Map());
  const [connected, setConnected] = useState(false);
  const [follow, setFollow] = useState(true);
  const error = useSubscription(
    (handlers) => {
      setLines([]);
      setErrors(new Map());
      setConnected(false);
      return api.logs.follow.subscribe({ lab, namespace, deployment }, handlers);
    },
    (message: { lines: LogLineView[]; errors: LogErrorView[] }) => {
      setConnected(true);
      if (message.lines.length > 0) setLines((kept) => addLogLines(kept, message.lines));
      if (message.errors.length > 0)
        setErrors((kept) => {
          const next = new Map(kept);
          for (const e of message.errors) next.set(`${e.pod}/${e.container}`, e);
          return next;
        });
    },
    [lab, namespace, deployment],
  );
  // An error of a pod that is gone is no longer news.
  const shownErrors = [...errors.values()].filter((e) => pods.includes(e.pod));

  return (
    <>
      <label className="inline log-follow">
        <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Keep the
        newest line in view
      </label>
      <ErrorMessage error={error} />
      {!error && !connected && <p className="placeholder">Connecting to the logs of {deployment}…</p>}
      {connected && pods.length === 0 && (
        <p className="placeholder" data-testid="logs-empty">
          {deployment} has no pods (is it scaled to 0?). Lines appear here when a pod starts.
        </p>
      )}
      {connected && pods.length > 0 && lines.length === 0 && (
        <p className="placeholder" data-testid="logs-empty">
          No lines yet from the {pods.length} pod{pods.length === 1 ? '' : 's'} of {deployment}; new ones
          appear here as they are written.
        </p>
      )}
      <Unreadable errors={shownErrors} />
      {lines.length > 0 && <LogLines lines={lines} follow={follow} />}
      {lines.length >= MAX_PANEL_LINES && (
        <p className="muted">Showing the newest {MAX_PANEL_LINES} lines.</p>
      )}
    </>
  );
};

// The last words of each pod's crashed (previous) container.
const PreviousLogs = ({ lab, namespace, deployment }: LogsTarget & { lab: string }) => {
  const { data, error, loading, reload } = useQuery(
    () => api.logs.deployment.query({ lab, namespace, deployment, previous: true }),
    [lab, namespace, deployment],
  );
  return (
    <>
      <button type="button" className="button secondary small" onClick={reload} disabled={loading}>
        {loading ? 'Reading…' : 'Read again'}
      </button>
      <ErrorMessage error={error} />
      {data && data.lines.length === 0 && (
        <p className="placeholder" data-testid="logs-empty">
          No previous container to show: none of the {data.pods.length} pod
          {data.pods.length === 1 ? '' : 's'} of {deployment} has restarted.
        </p>
      )}
      {data && data.lines.length > 0 && <LogLines lines={data.lines} follow={false} />}
    </>
  );
};

export const DeploymentLogs = ({
  lab,
  namespace,
  deployment,
  pods,
  onClose,
}: LogsTarget & {
  lab: string;
  /** The Deployment's pods as the map knows them (for the empty state and stale errors). */
  pods: string[];
  onClose: () => void;
}) => {
  const [mode, setMode] = useState<Mode>('current');
  const panel = useRef<HTMLElement>(null);
  // Braces: newer Chromium returns a promise from scrollIntoView, which React would call on unmount.
  useEffect(() => {
    void panel.current?.scrollIntoView({ block: 'nearest' });
  }, []);

  return (
    <section
      className="logs-panel"
      ref={panel}
      data-testid="deployment-logs"
      data-deployment={deployment}
      data-namespace={namespace}
      aria-label={`Logs of ${deployment}`}
    >
      <header className="section-head">
        <h3>
          Logs of {deployment}{' '}
          <span className="muted">
            ({pods.length} pod{pods.length === 1 ? '' : 's'})
          </span>
        </h3>
        <div className="log-modes" role="group" aria-label="Which logs">
          <button
            type="button"
            className={`button small ${mode === 'current' ? 'primary' : 'secondary'}`}
            aria-pressed={mode === 'current'}
            data-testid="logs-current"
            onClick={() => setMode('current')}
          >
            Live
          </button>
          <button
            type="button"
            className={`button small ${mode === 'previous' ? 'primary' : 'secondary'}`}
            aria-pressed={mode === 'previous'}
            data-testid="logs-previous"
            onClick={() => setMode('previous')}
          >
            Previous (crashed)
          </button>
          <button type="button" className="button link small" onClick={onClose} aria-label="Close logs">
            Close ✕
          </button>
        </div>
      </header>
      {mode === 'current' ? (
        <FollowedLogs lab={lab} namespace={namespace} deployment={deployment} pods={pods} />
      ) : (
        <PreviousLogs lab={lab} namespace={namespace} deployment={deployment} />
      )}
    </section>
  );
};
