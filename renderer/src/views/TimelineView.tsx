// Timeline: the lab's shared live timeline (oldest first, newest at the bottom, like
// `kartstream timeline`) and the incident bar: declare, severity, milestones, notes. The buttons
// are disabled for roles without the `note` capability; the server refuses them all the same.
import { useEffect, useState, type FormEvent } from 'react';
import {
  formatDuration,
  MILESTONES,
  SEVERITIES,
  type Milestone,
  type Severity,
  type TimelineView as TimelineData,
} from '../../../core/contract/incident-types.ts';
import type { WireError } from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { useSubscription } from '../api/hooks.ts';
import { useCan } from '../components/capabilities.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import './timeline/timeline.css';

const time = (at: string) => new Date(at).toLocaleTimeString();

const IncidentBar = ({ lab, data, canNote }: { lab: string; data: TimelineData; canNote: boolean }) => {
  const [error, setError] = useState<WireError>();
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('SEV2');
  const [note, setNote] = useState('');
  const run = (call: () => Promise<unknown>, done?: () => void) =>
    void call().then(
      () => {
        setError(undefined);
        done?.();
      },
      (cause: unknown) => setError(wireErrorOf(cause)),
    );
  const declared = data.incident.declared;
  const declare = (e: FormEvent) => {
    e.preventDefault();
    run(
      () => api.incident.declare.mutate({ lab, severity, title }),
      () => setTitle(''),
    );
  };
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    run(
      () => api.incident.note.mutate({ lab, text: note }),
      () => setNote(''),
    );
  };
  const reached = (m: Milestone) => data.figures.milestones[m];
  return (
    <section className="card tl-incident" aria-labelledby="tl-incident-title" data-testid="incident-bar">
      <h3 id="tl-incident-title">
        {declared ? `Incident: ${declared.title}` : 'No incident declared'}
        {data.incident.severity && (
          <span className="badge tl-severity" data-testid="incident-severity">
            {data.incident.severity}
          </span>
        )}
      </h3>
      {!declared ? (
        <form className="tl-row" onSubmit={declare} data-testid="incident-declare">
          <input
            aria-label="Incident title"
            placeholder="What is wrong, as a customer sees it"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            disabled={!canNote}
          />
          <select
            aria-label="Severity"
            value={severity}
            onChange={(e) => setSeverity(e.target.value as Severity)}
            disabled={!canNote}
          >
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <button type="submit" className="button primary" disabled={!canNote || !title.trim()}>
            Declare
          </button>
        </form>
      ) : (
        <label className="tl-row">
          Severity
          <select
            aria-label="Change severity"
            value={data.incident.severity ?? ''}
            disabled={!canNote}
            onChange={(e) =>
              run(() => api.incident.severity.mutate({ lab, severity: e.target.value as Severity }))
            }
          >
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      )}
      <div className="tl-row" role="group" aria-label="Milestones">
        {MILESTONES.map((m) => {
          const done = reached(m);
          const ms = data.figures.timeTo[m];
          return (
            <button
              key={m}
              type="button"
              className={`button ${done ? 'tl-done' : ''}`}
              data-testid={`milestone-${m}`}
              data-reached={String(Boolean(done))}
              disabled={!canNote}
              title={done ? `${m} at ${time(done.at)} by ${done.actor}` : `record that the team ${m} it`}
              onClick={() => run(() => api.incident.milestone.mutate({ lab, name: m }))}
            >
              {m}
              {ms !== undefined && <span className="tl-figure"> {formatDuration(ms)}</span>}
            </button>
          );
        })}
      </div>
      <form className="tl-row" onSubmit={addNote}>
        <input
          aria-label="Note"
          data-testid="timeline-note"
          placeholder={canNote ? 'A note for the timeline' : 'Your role cannot add notes'}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          disabled={!canNote}
        />
        <button type="submit" className="button" disabled={!canNote || !note.trim()}>
          Add note
        </button>
      </form>
      {data.figures.start && (
        <p className="muted">
          Times are measured from the first {data.figures.start.from === 'inject' ? 'inject' : 'declaration'}{' '}
          at {time(data.figures.start.at)}.
        </p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
};

export const TimelineView = ({ lab }: { lab: string }) => {
  const [data, setData] = useState<TimelineData>();
  const canNote = useCan('note').allowed;
  useEffect(() => setData(undefined), [lab]);
  const watchError = useSubscription<TimelineData>(
    (handlers) => api.timeline.watch.subscribe({ lab }, handlers),
    setData,
    [lab],
  );
  return (
    <div className="tl-view" data-testid="timeline-view">
      <header className="view-head">
        <h2>Timeline of lab {lab}</h2>
      </header>
      <ErrorMessage error={watchError} />
      {data && <IncidentBar lab={lab} data={data} canNote={canNote} />}
      {!data && !watchError && <p className="muted">Reading the timeline…</p>}
      {data?.skipped && (
        <p className="muted" role="status" data-testid="timeline-skipped">
          {data.skipped.lines.length === 1 ? 'Line' : 'Lines'} {data.skipped.lines.join(', ')} of{' '}
          <code>{data.skipped.file}</code> could not be read and{' '}
          {data.skipped.lines.length === 1 ? 'is' : 'are'} left out (a write cut short, or a hand edit).
          Remove or repair {data.skipped.lines.length === 1 ? 'it' : 'them'} to see them again.
        </p>
      )}
      {data?.entries.length === 0 && (
        <p className="muted" data-testid="timeline-empty">
          Nothing recorded yet. The timeline is recorded while the lab is shared (
          <code>kartstream serve --share --name {lab}</code>) or a game day runs.
        </p>
      )}
      {data && data.entries.length > 0 && (
        <ol className="tl-entries" aria-label="Timeline entries (oldest first)">
          {data.entries.map((e, i) => (
            <li
              key={`${e.at}-${i}`}
              className={`tl-entry tl-${e.kind}`}
              data-testid="timeline-entry"
              data-actor={e.actor}
              data-kind={e.kind}
            >
              <time dateTime={e.at}>{time(e.at)}</time>
              <span className="badge">{e.kind}</span>
              <span className="tl-actor">{e.actor}</span>
              <span className="tl-text">
                {e.text}
                {e.hidden && <span className="muted"> (hidden from responders)</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
};
