// The running scenario: the current step's text and checks (green as they pass), its time left,
// hints one at a time, the solution behind a confirm, abort, the step list and the task log.
import { useEffect, useState } from 'react';
import type { RunView, ScenarioDetail, WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { TaskView } from '../../components/TaskView.tsx';
import { CheckList } from './CheckList.tsx';
import { InlineText, Markdown, ShellBlock } from './Markdown.tsx';
import { StepList } from './StepList.tsx';
import { formatTimeLeft, secondsLeft } from './time-left.ts';
import { useNow } from './use-now.ts';

const points = (cost: number) => `−${Math.abs(cost)} points`;

const TimeLeft = ({ deadline }: { deadline?: string }) => {
  const now = useNow(1000, Boolean(deadline));
  const left = secondsLeft(deadline, now);
  return (
    <p className="scn-time" data-testid="time-left" data-seconds={left ?? ''}>
      <span className="scn-time-label">Time left</span>
      <span className={`scn-time-value${left !== undefined && left <= 30 ? ' scn-time-low' : ''}`}>
        {left === undefined ? '—' : formatTimeLeft(left)}
      </span>
    </p>
  );
};

export const ScenarioPlayer = ({
  lab,
  run,
  detail,
  onRun,
}: {
  lab: string;
  run: RunView;
  detail: ScenarioDetail | undefined;
  onRun: (run: RunView) => void;
}) => {
  const [busy, setBusy] = useState<'hint' | 'solution' | 'abort'>();
  const [error, setError] = useState<WireError>();
  const [confirmSolution, setConfirmSolution] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const step = run.steps[run.currentStep];
  const stepDetail = detail?.stepsDetail.find((s) => s.id === step?.id);
  const running = run.state === 'running' && step?.state === 'running';

  useEffect(() => setConfirmSolution(false), [step?.id]);

  const act = (kind: 'hint' | 'solution' | 'abort') => {
    setBusy(kind);
    setError(undefined);
    api.scenarios[kind]
      .mutate({ lab })
      .then(onRun, (cause: unknown) => setError(wireErrorOf(cause)))
      .finally(() => setBusy(undefined));
  };

  const revealed = run.revealed.filter((r) => r.step === step?.id);
  const hints = revealed.filter((r) => r.kind === 'hint');
  const solution = revealed.find((r) => r.kind === 'solution');
  const hintCount = stepDetail?.hints ?? 0;
  const hintsLeft = Math.max(0, hintCount - (step?.hintsRevealed ?? 0));

  return (
    <section
      className="scn-player"
      data-testid="scenario-player"
      data-state={run.state}
      aria-labelledby="scn-player-title"
    >
      <header className="scn-player-head">
        <div>
          <p className="scn-eyebrow">
            {run.title} · step {Math.min(run.currentStep + 1, run.steps.length)} of {run.steps.length}
          </p>
          <h2 id="scn-player-title" data-testid="step-title">
            {step?.title ?? 'Preparing the lab…'}
          </h2>
        </div>
        <TimeLeft deadline={running ? step?.deadline : undefined} />
      </header>

      <div className="scn-player-body">
        <div className="scn-player-main">
          {stepDetail ? (
            <Markdown text={stepDetail.text} testId="step-text" />
          ) : (
            <div className="scn-md scn-placeholder" data-testid="step-text">
              {detail ? '' : 'Loading the step…'}
            </div>
          )}

          <h3 className="scn-sub">Checks</h3>
          {step && step.checks.length > 0 ? (
            <CheckList checks={step.checks} label="Checks of this step" testId="check-row" />
          ) : (
            <p className="scn-muted">Checks run as soon as the step starts…</p>
          )}

          <div className="scn-help" aria-live="polite">
            {hints.map((hint, i) => (
              <div className="scn-hint" key={i}>
                <p className="scn-hint-label">
                  Hint {i + 1} <span className="scn-cost">({points(hint.cost)})</span>
                </p>
                <p data-testid="hint-text">
                  <InlineText text={hint.text} />
                </p>
              </div>
            ))}
            {solution && (
              <div className="scn-solution" data-testid="solution-text">
                <p className="scn-hint-label">
                  Solution <span className="scn-cost">({points(solution.cost)})</span>
                </p>
                <ShellBlock code={solution.text} />
              </div>
            )}
          </div>

          <ErrorMessage error={error} />

          <div className="scn-actions">
            <button
              type="button"
              className="button"
              data-testid="hint-button"
              disabled={!running || busy !== undefined || hintsLeft === 0 || !detail}
              onClick={() => act('hint')}
              title={hintsLeft === 0 ? 'No more hints for this step' : undefined}
            >
              {busy === 'hint' ? 'Revealing…' : `Hint (${points(detail?.scoring.hint ?? 0)})`}
            </button>
            <span className="scn-muted scn-hints-left">
              {hintCount === 0 ? 'no hints for this step' : `${hintsLeft} of ${hintCount} hints left`}
            </span>
            <button
              type="button"
              className={`button${confirmSolution ? ' danger' : ''}`}
              data-testid="solution-button"
              aria-pressed={confirmSolution}
              disabled={!running || busy !== undefined || Boolean(solution) || !detail}
              onClick={() => {
                if (!confirmSolution) setConfirmSolution(true);
                else {
                  setConfirmSolution(false);
                  act('solution');
                }
              }}
            >
              {busy === 'solution'
                ? 'Revealing…'
                : confirmSolution
                  ? `Confirm: show the solution (${points(detail?.scoring.solution ?? 0)})`
                  : 'Give up: show the solution'}
            </button>
            {confirmSolution && (
              <button type="button" className="button" onClick={() => setConfirmSolution(false)}>
                Keep trying
              </button>
            )}
            <button
              type="button"
              className="button scn-abort"
              data-testid="abort-button"
              disabled={run.state !== 'running' || busy !== undefined}
              onClick={() => act('abort')}
            >
              {busy === 'abort' ? 'Aborting…' : 'Abort the scenario'}
            </button>
          </div>
        </div>

        <aside className="scn-player-side">
          <h3 className="scn-sub">Steps</h3>
          <StepList steps={run.steps} current={run.currentStep} />
          {run.score !== undefined && (
            <p className="scn-muted">
              Score so far: {run.score}
              {run.maxScore !== undefined ? ` of ${run.maxScore}` : ''}
            </p>
          )}
        </aside>
      </div>

      {run.taskId && (
        <details className="scn-log" onToggle={(e) => setLogOpen(e.currentTarget.open)}>
          <summary>Task log</summary>
          {logOpen && <TaskView taskId={run.taskId} />}
        </details>
      )}
    </section>
  );
};
