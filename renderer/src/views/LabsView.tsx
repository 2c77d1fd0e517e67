// The Labs page: the labs there are (select, open, delete), the create form with its task, and
// the doctor. Without any lab yet, the create form comes first.
import { useEffect, useState } from 'react';
import type { LabSummary, TaskSummary, WireError } from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { CreateLabForm } from '../components/CreateLabForm.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { TaskView, type EndState } from '../components/TaskView.tsx';
import { useCan } from '../components/capabilities.tsx';
import { DoctorPanel } from './DoctorPanel.tsx';

/** The create or delete task the page follows; held by the app so it survives a view change. */
export interface LabTask {
  id: string;
  lab: string;
  kind: 'create' | 'delete';
  ended?: EndState;
}

const STATE_MARK: Record<LabSummary['state'], string> = {
  ready: '✓',
  creating: '…',
  failed: '✗',
  broken: '!',
};

/** A name not taken yet: the default lab name, else the default with -2, -3… */
const freeName = (defaultLab: string, labs: readonly LabSummary[]): string => {
  const taken = new Set(labs.map((l) => l.name));
  if (!taken.has(defaultLab)) return defaultLab;
  for (let n = 2; ; n += 1) if (!taken.has(`${defaultLab}-${n}`)) return `${defaultLab}-${n}`;
};

const LabRow = ({
  lab,
  selected,
  busy,
  onSelect,
  onOpenMap,
  onDelete,
}: {
  lab: LabSummary;
  selected: boolean;
  busy: boolean;
  onSelect: () => void;
  onOpenMap: () => void;
  onDelete: () => void;
}) => {
  const [confirming, setConfirming] = useState(false);
  const canHost = useCan('host');
  return (
    <tr
      data-testid={`lab-row-${lab.name}`}
      data-state={lab.state}
      className={selected ? 'selected' : undefined}
    >
      <th scope="row">
        <button type="button" className="button link" onClick={onSelect} aria-pressed={selected}>
          {lab.name}
        </button>
        {selected && <span className="muted"> (selected)</span>}
        {lab.problem && (
          <p className="lab-problem" data-testid={`lab-problem-${lab.name}`}>
            {lab.problem.message}
            {lab.problem.fix && <span className="muted"> — fix: {lab.problem.fix}</span>}
          </p>
        )}
      </th>
      <td>
        <span className={`badge state-${lab.state}`}>
          <span aria-hidden="true">{STATE_MARK[lab.state]} </span>
          {lab.state}
        </span>
      </td>
      <td>{lab.backend}</td>
      <td>{lab.monitoring ? 'on' : 'off'}</td>
      <td>{lab.state === 'broken' ? '—' : new Date(lab.createdAt).toLocaleString()}</td>
      <td className="row-actions">
        {confirming ? (
          <span role="group" aria-label={`Delete lab ${lab.name}?`} className="confirm">
            <span>Delete {lab.name} and everything in it?</span>{' '}
            <button
              type="button"
              className="button danger small"
              data-testid={`lab-delete-confirm-${lab.name}`}
              onClick={() => {
                setConfirming(false);
                onDelete();
              }}
            >
              Delete lab
            </button>{' '}
            <button
              type="button"
              className="button secondary small"
              onClick={() => setConfirming(false)}
              autoFocus
            >
              Keep it
            </button>
          </span>
        ) : (
          <>
            <button
              type="button"
              className="button secondary small"
              onClick={onOpenMap}
              disabled={lab.state !== 'ready'}
            >
              Open map
            </button>{' '}
            <button
              type="button"
              className="button secondary small"
              data-testid={`lab-delete-${lab.name}`}
              onClick={() => setConfirming(true)}
              disabled={busy || !canHost.allowed}
              title={canHost.reason}
            >
              Delete…
            </button>
          </>
        )}
      </td>
    </tr>
  );
};

export const LabsView = ({
  labs,
  labsError,
  selected,
  defaultLab,
  task,
  onTask,
  onSelect,
  onLabsChanged,
  onOpenMap,
}: {
  labs: LabSummary[] | undefined;
  labsError: WireError | undefined;
  selected: string | undefined;
  defaultLab: string;
  task: LabTask | undefined;
  onTask: (task: LabTask | undefined) => void;
  onSelect: (lab: string) => void;
  onLabsChanged: () => void;
  onOpenMap: (lab: string) => void;
}) => {
  const [deleteError, setDeleteError] = useState<WireError>();
  const running = task !== undefined && task.ended === undefined;

  // After a reload, pick up a create or delete the server is still running.
  useEffect(() => {
    if (task) return;
    let live = true;
    api.tasks.list.query().then(
      (tasks: TaskSummary[]) => {
        const found = tasks.find(
          (t) => t.state === 'running' && t.lab && (t.kind === 'lab-create' || t.kind === 'lab-delete'),
        );
        if (live && found?.lab)
          onTask({ id: found.id, lab: found.lab, kind: found.kind === 'lab-create' ? 'create' : 'delete' });
      },
      () => undefined, // the page works without it
    );
    return () => {
      live = false;
    };
    // Only on arrival: later tasks are started from this page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const remove = (lab: string) => {
    setDeleteError(undefined);
    api.labs.remove.mutate({ lab }).then(
      ({ taskId }) => {
        onTask({ id: taskId, lab, kind: 'delete' });
        onLabsChanged();
      },
      (cause: unknown) => setDeleteError(wireErrorOf(cause)),
    );
  };

  const ended = (state: EndState) => {
    if (!task || task.ended) return;
    onTask({ ...task, ended: state });
    onLabsChanged();
    if (task.kind === 'create' && state === 'done') onSelect(task.lab);
  };

  const noLabs = labs !== undefined && labs.length === 0;
  const form = (
    <section className="create-section" aria-labelledby="create-title">
      <h3 id="create-title">{noLabs ? 'No lab yet — create one' : 'Create another lab'}</h3>
      {noLabs && (
        <p className="lead">
          A lab is a small Kubernetes cluster with four node pools and the shop deployed on them. It takes a
          minute or three.
        </p>
      )}
      <CreateLabForm
        defaultName={freeName(defaultLab, labs ?? [])}
        busy={running && task?.kind === 'create'}
        onStarted={(id, lab) => {
          onTask({ id, lab, kind: 'create' });
          onLabsChanged();
        }}
      />
    </section>
  );

  const taskSection = task && (
    <section
      className="lab-task"
      aria-label={`${task.kind === 'create' ? 'Creating' : 'Deleting'} lab ${task.lab}`}
    >
      <TaskView key={task.id} taskId={task.id} onEnd={ended} />
      {task.kind === 'create' && task.ended === 'done' && (
        <div className="banner success" role="status">
          Lab <strong>{task.lab}</strong> is ready.{' '}
          <button
            type="button"
            className="button primary"
            data-testid="open-map"
            onClick={() => onOpenMap(task.lab)}
          >
            Open the map
          </button>
        </div>
      )}
      {task.ended && (
        <button type="button" className="button link small" onClick={() => onTask(undefined)}>
          Dismiss
        </button>
      )}
    </section>
  );

  return (
    <div className="labs-view" data-testid="labs-view">
      <header className="view-head">
        <h2>Labs</h2>
      </header>
      {noLabs && form}
      {taskSection}
      <ErrorMessage error={labsError} />
      {labs && labs.length > 0 && (
        <section aria-labelledby="labs-title">
          <h3 id="labs-title">Your labs</h3>
          <ErrorMessage error={deleteError} />
          <table className="table labs-table">
            <thead>
              <tr>
                <th scope="col">Lab</th>
                <th scope="col">State</th>
                <th scope="col">Backend</th>
                <th scope="col">Monitoring</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {labs.map((lab) => (
                <LabRow
                  key={lab.name}
                  lab={lab}
                  selected={lab.name === selected}
                  busy={running}
                  onSelect={() => onSelect(lab.name)}
                  onOpenMap={() => onOpenMap(lab.name)}
                  onDelete={() => remove(lab.name)}
                />
              ))}
            </tbody>
          </table>
        </section>
      )}
      {!noLabs && labs !== undefined && form}
      {labs === undefined && !labsError && <p className="muted">Loading labs…</p>}
      <DoctorPanel />
    </div>
  );
};
