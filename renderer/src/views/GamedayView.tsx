// Game day: the facilitator console (start, pause, resume, inject now, extend, end, what is
// coming, reveal a hint) and, for responders, the briefing, the clock and the hints revealed.
// At the end, the postmortem draft: edited here, saved for the team, exported as Markdown or JSON.
// The server enforces who may do what (docs/sharing.md); the buttons follow the caller's
// capabilities so nobody is offered what they cannot do.
import { useEffect, useState } from 'react';
import type {
  GamedaySummary,
  GamedayView as View,
  PostmortemReport,
} from '../../../core/contract/gameday-types.ts';
import type { WireError } from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { useCan } from '../components/capabilities.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { PostmortemEditor } from './gameday/PostmortemEditor.tsx';

/** The console re-reads the game day this often while it runs (the runner writes its state file). */
const POLL_MS = 1000;

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

export const GamedayView = ({ lab }: { lab: string }) => {
  const list = useQuery<GamedaySummary[]>(() => api.gameday.list.query(), []);
  const status = useQuery<View | null>(() => api.gameday.status.query({ lab }), [lab]);
  const [error, setError] = useState<WireError>();
  const [busy, setBusy] = useState(false);
  const canInject = useCan('inject');
  const canFacilitate = useCan('facilitate');
  const canNote = useCan('note');
  const view = status.data;
  const live = view !== undefined && view !== null && view.state !== 'ended';
  const reloadStatus = status.reload;
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(reloadStatus, POLL_MS);
    return () => window.clearInterval(timer);
  }, [live, reloadStatus]);

  const act = (call: () => Promise<unknown>) => {
    setBusy(true);
    call()
      .then(
        () => setError(undefined),
        (cause: unknown) => setError(wireErrorOf(cause)),
      )
      .finally(() => {
        setBusy(false);
        reloadStatus();
      });
  };

  return (
    <section className="view gameday-view" data-testid="gameday-view">
      <h2>Game day</h2>
      {error && <ErrorMessage error={error} />}
      {status.error && <ErrorMessage error={status.error} />}
      {!live && (
        <div className="gameday-start">
          <h3>Start a game day</h3>
          <ul>
            {(list.data ?? []).map((g) => (
              <li key={g.id} data-testid={`gameday-${g.id}`}>
                <strong>{g.title}</strong> ({g.timeBox}, roles: {g.roles.join(', ')}){' '}
                <button
                  type="button"
                  className="button primary"
                  disabled={busy || !canInject.allowed}
                  title={canInject.reason}
                  onClick={() => act(() => api.gameday.start.mutate({ lab, id: g.id }))}
                >
                  Start
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {view && (
        <div className="gameday-run" data-testid="gameday-run" data-state={view.state}>
          <h3>
            {view.title} <span className="badge">{view.state}</span>
          </h3>
          <p data-testid="gameday-clock">
            game time {clock(view.elapsedSeconds)} · {clock(view.remainingSeconds)} left
            {view.endReason ? ` · ${view.endReason}` : ''}
          </p>
          <details open={view.state !== 'ended'}>
            <summary>Briefing (roles: {view.roles.join(', ')})</summary>
            <p className="gameday-briefing">{view.briefing}</p>
          </details>
          {live && (
            <div className="gameday-controls" role="toolbar" aria-label="Facilitator console">
              {view.state === 'running' ? (
                <button
                  type="button"
                  className="button"
                  disabled={busy || !canFacilitate.allowed}
                  title={canFacilitate.reason}
                  onClick={() => act(() => api.gameday.pause.mutate({ lab }))}
                >
                  Pause
                </button>
              ) : (
                <button
                  type="button"
                  className="button"
                  disabled={busy || !canFacilitate.allowed}
                  title={canFacilitate.reason}
                  onClick={() => act(() => api.gameday.resume.mutate({ lab }))}
                >
                  Resume
                </button>
              )}
              <button
                type="button"
                className="button"
                disabled={busy || !canFacilitate.allowed}
                title={canFacilitate.reason}
                onClick={() => act(() => api.gameday.extend.mutate({ lab, minutes: 5 }))}
              >
                Extend +5 min
              </button>
              <button
                type="button"
                className="button"
                data-testid="gameday-hint"
                disabled={busy || !canFacilitate.allowed || view.hintsLeft === 0}
                title={canFacilitate.reason}
                onClick={() => act(() => api.gameday.hint.mutate({ lab }))}
              >
                Reveal a hint ({view.hintsLeft} left)
              </button>
              <button
                type="button"
                className="button danger"
                disabled={busy || !canFacilitate.allowed}
                title={canFacilitate.reason}
                onClick={() => act(() => api.gameday.end.mutate({ lab }))}
              >
                End
              </button>
            </div>
          )}
          {view.hints.length > 0 && (
            <ol className="gameday-hints" aria-label="Hints">
              {view.hints.map((h) => (
                <li key={h}>{h}</li>
              ))}
            </ol>
          )}
          {view.upcoming && view.upcoming.length > 0 && (
            <div className="gameday-upcoming">
              <h4>Coming</h4>
              <ul>
                {view.upcoming.map((u) => (
                  <li key={u.id} data-testid={`upcoming-${u.id}`}>
                    {u.title} —{' '}
                    {u.inMs !== undefined
                      ? `in ${clock(Math.ceil(u.inMs / 1000))} of game time`
                      : `when ${u.when}${u.armed ? '' : ` (once ${u.after} landed)`}`}{' '}
                    <button
                      type="button"
                      className="button"
                      disabled={busy || !canInject.allowed}
                      title={canInject.reason}
                      onClick={() => act(() => api.gameday.injectNow.mutate({ lab, inject: u.id }))}
                    >
                      Inject now
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {view.injects && (
            <div className="gameday-injects">
              <h4>Injects</h4>
              <ul>
                {view.injects.map((i) => (
                  <li key={i.id}>
                    {i.title}: {i.landedAt ? `landed ${i.landedAt} (${i.landedBy})` : 'not landed'}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {view.state === 'ended' && <Postmortem lab={lab} canEdit={canNote.allowed} />}
        </div>
      )}
    </section>
  );
};

const Postmortem = ({ lab, canEdit }: { lab: string; canEdit: boolean }) => {
  const report = useQuery<PostmortemReport>(() => api.gameday.postmortem.query({ lab }), [lab]);
  if (report.error) return <ErrorMessage error={report.error} />;
  if (!report.data) return <p>Drafting the postmortem…</p>;
  return <PostmortemEditor lab={lab} report={report.data} canEdit={canEdit} onSaved={report.reload} />;
};
