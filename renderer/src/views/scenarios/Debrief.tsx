// The end of a run: score, passed or failed and why, steady state before and after, the
// timeline, the scenario's debrief text, and the Markdown export.
import { useEffect, useRef, useState } from 'react';
import type { RunView, WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { useQuery } from '../../api/hooks.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { CheckList } from './CheckList.tsx';
import { Markdown } from './Markdown.tsx';
import { reportFileName, saveReport } from './save-report.ts';
import { StepList } from './StepList.tsx';

const OUTCOME: Record<RunView['state'], string> = {
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  aborted: 'Aborted',
};

const clock = (iso: string) => new Date(iso).toLocaleTimeString();

const SteadyState = ({ title, state }: { title: string; state?: RunView['steadyStateBefore'] }) => (
  <div className="scn-steady">
    <h4>
      {title}{' '}
      {state && <span className={`scn-badge ${state.ok ? 'scn-ok' : 'scn-not-ok'}`}>{state.ok ? 'held' : 'broken'}</span>}
    </h4>
    {state && state.checks.length > 0 ? (
      <CheckList checks={state.checks} label={title} />
    ) : (
      <p className="scn-muted">{state ? 'no steady-state checks' : 'not checked'}</p>
    )}
  </div>
);

const pct = (ratio: number) => `${Math.round(ratio * 10_000) / 100}%`;

// What shoppers felt: failed checkouts and minutes above the SLO, or why there is no traffic data.
const CustomerImpactSection = ({ impact }: { impact: RunView['customerImpact'] }) => (
  <div className="scn-steady" data-testid="debrief-impact" data-available={impact ? String(impact.available) : ''}>
    <h4>Customer impact</h4>
    {!impact && <p className="scn-muted">measured when the run ends</p>}
    {impact && !impact.available && (
      <p className="scn-muted" data-testid="debrief-impact-none">
        No traffic data: {impact.reason.replace(/^no traffic data: /, '')}
      </p>
    )}
    {impact?.available && (
      <dl className="scn-impact">
        <dt>Failed checkouts</dt>
        <dd data-testid="debrief-failed-checkouts">
          {impact.failedCheckouts} of {impact.checkouts}
        </dd>
        <dt>Minutes above the objective ({pct(1 - impact.objective)} errors)</dt>
        <dd data-testid="debrief-minutes-above">
          {impact.minutesJudged > 0
            ? `${impact.minutesAboveObjective} of ${impact.minutesJudged} min`
            : 'too few checkouts to judge'}
        </dd>
      </dl>
    )}
  </div>
);

export const Debrief = ({ run, onClose, focus }: { run: RunView; onClose?: () => void; focus?: boolean }) => {
  // Opened from the past runs: bring it into view and move the keyboard focus to it.
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!focus) return;
    titleRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    titleRef.current?.focus({ preventScroll: true });
  }, [focus]);
  const report = useQuery(() => api.scenarios.report.query({ runId: run.id }), [run.id, run.state, run.endedAt]);
  const detail = useQuery(() => api.scenarios.get.query({ id: run.scenario }), [run.scenario]);
  const [exportError, setExportError] = useState<WireError>();
  const [exported, setExported] = useState<string | null>(null);
  const shown = report.data?.run ?? run;
  const score = shown.score ?? 0;

  const exportReport = () => {
    if (!report.data) return;
    setExportError(undefined);
    saveReport(run.id, report.data.markdown).then(
      (where) => setExported(where),
      (cause: unknown) => setExportError(wireErrorOf(cause)),
    );
  };

  return (
    <section className="scn-debrief" data-testid="debrief" data-state={shown.state} aria-labelledby="scn-debrief-title">
      <header className="scn-debrief-head">
        <div>
          <p className="scn-eyebrow">Debrief · {shown.title}</p>
          <h2 id="scn-debrief-title" ref={titleRef} tabIndex={-1}>
            <span className={`scn-badge scn-outcome-${shown.state}`}>{OUTCOME[shown.state]}</span>{' '}
            <span data-testid="debrief-score">
              {score} / {shown.maxScore ?? '?'}
            </span>{' '}
            <span className="scn-muted scn-points">points</span>
          </h2>
          {shown.reason && <p className="scn-reason">{shown.reason}</p>}
          <p className="scn-muted">
            Started {clock(shown.startedAt)}
            {shown.endedAt ? `, ended ${clock(shown.endedAt)}` : ''} · run <code>{shown.id}</code>
          </p>
        </div>
        <div className="scn-actions">
          <button
            type="button"
            className="button primary"
            data-testid="export-report"
            disabled={!report.data}
            onClick={exportReport}
          >
            Export report (.md)
          </button>
          {onClose && (
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          )}
        </div>
      </header>
      {exported && (
        <p className="scn-muted" role="status">
          {exported === 'download'
            ? `Report downloaded as ${reportFileName(run.id)}`
            : `Report saved to ${exported}`}
        </p>
      )}
      <ErrorMessage error={exportError} />

      <div className="scn-debrief-grid">
        <SteadyState title="Steady state before" state={shown.steadyStateBefore} />
        <SteadyState title="Steady state after" state={shown.steadyStateAfter} />
        <CustomerImpactSection impact={shown.customerImpact} />
      </div>

      <h3 className="scn-sub">Steps</h3>
      <StepList steps={shown.steps} current={-1} />

      <h3 className="scn-sub">Timeline</h3>
      <ErrorMessage error={report.error} />
      <div className="scn-timeline-box">
        <table className="scn-timeline" data-testid="debrief-timeline">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {report.data?.timeline.map((entry, i) => (
              <tr key={i}>
                <td>{clock(entry.at)}</td>
                <td>
                  <code>{entry.type}</code>
                </td>
                <td>{entry.text}</td>
              </tr>
            ))}
            {!report.data && !report.error && (
              <tr>
                <td colSpan={3} className="scn-muted">
                  Loading the timeline…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      {detail.data?.debrief && (
        <>
          <h3 className="scn-sub">What to take away</h3>
          <Markdown text={detail.data.debrief} />
        </>
      )}
      <ErrorMessage error={detail.error} />
    </section>
  );
};
