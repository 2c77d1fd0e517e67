// A long-running task as it happens: its steps, progress, live log (kept when it fails), the
// error with its fix, and a cancel button. Follows `tasks.watch` for the given task id.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TaskDetail, TaskState, WireError } from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { useSubscription } from '../api/hooks.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { applyTaskUpdate } from './task-updates.ts';

export type EndState = Exclude<TaskState, 'running'>;

const STEP_MARK: Record<TaskState, string> = { running: '…', done: '✓', failed: '✗', canceled: '–' };

export const TaskView = ({
  taskId,
  onEnd,
}: {
  taskId: string;
  onEnd?: (state: EndState, error?: WireError) => void;
}) => {
  const [task, setTask] = useState<TaskDetail>();
  const [cancelError, setCancelError] = useState<WireError>();
  const [canceling, setCanceling] = useState(false);
  const endedRef = useRef<string | undefined>(undefined);
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;

  useEffect(() => {
    setTask(undefined);
    setCancelError(undefined);
    setCanceling(false);
  }, [taskId]);

  const watchError = useSubscription<Parameters<typeof applyTaskUpdate>[1]>(
    (handlers) => api.tasks.watch.subscribe({ id: taskId }, handlers),
    (update) => setTask((current) => applyTaskUpdate(current, update, new Date().toISOString())),
    [taskId],
  );

  // Tell the caller once per task when it ends (also when it had already ended on arrival).
  useEffect(() => {
    if (!task || task.state === 'running' || endedRef.current === task.id) return;
    endedRef.current = task.id;
    onEndRef.current?.(task.state, task.error);
  }, [task]);

  const logRef = useRef<HTMLPreElement>(null);
  const stickRef = useRef(true);
  useLayoutEffect(() => {
    const el = logRef.current;
    if (el && stickRef.current) el.scrollTop = el.scrollHeight;
  }, [task?.log.length]);

  const cancel = () => {
    setCanceling(true);
    api.tasks.cancel.mutate({ id: taskId }).catch((cause: unknown) => {
      setCancelError(wireErrorOf(cause));
      setCanceling(false);
    });
  };

  const state = task?.state ?? 'running';
  const percent = Math.round((task?.progress ?? 0) * 100);
  return (
    <section
      className="task-view"
      data-testid="task-view"
      data-state={state}
      aria-live="polite"
      aria-busy={state === 'running'}
    >
      <header className="task-head">
        <h3>{task?.title ?? 'Starting…'}</h3>
        <span className={`badge state-${state}`}>{state}</span>
        <button
          type="button"
          className="button secondary"
          data-testid="task-cancel"
          onClick={cancel}
          disabled={state !== 'running' || canceling || !task}
        >
          {canceling && state === 'running' ? 'Canceling…' : 'Cancel'}
        </button>
      </header>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label="Progress"
      >
        <div className={`progress-fill state-${state}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="task-progress-message">{task?.progressMessage ?? '\u00a0'}</p>
      <ol className="task-steps">
        {task?.steps.map((step, i) => (
          <li
            key={i}
            className={`task-step state-${step.state}`}
            data-testid="task-step"
            data-state={step.state}
          >
            <span className="step-mark" aria-hidden="true">
              {STEP_MARK[step.state]}
            </span>
            <span className="step-title">{step.title}</span>
            <span className="visually-hidden">({step.state})</span>
          </li>
        ))}
      </ol>
      <ErrorMessage error={task?.error} />
      <ErrorMessage error={watchError} />
      <ErrorMessage error={cancelError} />
      <details className="task-log-box" open>
        <summary>Log{task ? ` (${task.log.length} lines)` : ''}</summary>
        <pre
          className="task-log"
          data-testid="task-log"
          ref={logRef}
          tabIndex={0}
          onScroll={(e) => {
            const el = e.currentTarget;
            stickRef.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
        >
          {task?.log.join('\n')}
        </pre>
        {task && (
          <p className="task-log-path">
            Full log: <code>{task.logPath}</code>
          </p>
        )}
      </details>
    </section>
  );
};
