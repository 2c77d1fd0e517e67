// The lab's deployments: available / desired replicas, the pool they run on, a replicas field to
// scale each one, and a button that opens the Logs panel of its pods. Memoised on the store's workloads version.
import { memo, useState, type FormEvent } from 'react';
import type { WireError, WorkloadView } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useCan } from '../../components/capabilities.tsx';
import type { LogsTarget } from '../logs/DeploymentLogs.tsx';

const WorkloadRow = ({
  lab,
  workload,
  onShowLogs,
}: {
  lab: string;
  workload: WorkloadView;
  onShowLogs: (target: LogsTarget) => void;
}) => {
  // Follows the desired count until the user types a number.
  const [typed, setTyped] = useState<string>();
  const [busy, setBusy] = useState(false);
  const canAct = useCan('act');
  const [error, setError] = useState<WireError>();
  const value = typed ?? String(workload.desired);
  const healthy = workload.available >= workload.desired && workload.desired > 0;
  const status = workload.desired === 0 ? 'scaled to 0' : healthy ? 'available' : 'degraded';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    api.actions.scaleDeployment.mutate({ lab, name: workload.name, replicas: Number(value) }).then(
      () => {
        setBusy(false);
        setTyped(undefined);
      },
      (cause: unknown) => {
        setBusy(false);
        setError(wireErrorOf(cause));
      },
    );
  };

  return (
    <tr
      data-testid={`workload-row-${workload.name}`}
      data-available={workload.available}
      data-desired={workload.desired}
      className={healthy ? undefined : 'degraded'}
    >
      <th scope="row">{workload.name}</th>
      <td>{workload.pool || '—'}</td>
      <td className="num">
        {workload.available}/{workload.desired}
      </td>
      <td>
        <span className={`status status-${healthy ? 'ok' : workload.desired === 0 ? 'idle' : 'warn'}`}>
          <span aria-hidden="true">{healthy ? '✓ ' : workload.desired === 0 ? '○ ' : '⚠ '}</span>
          {status}
        </span>
      </td>
      <td>
        <form className="inline-form" onSubmit={submit}>
          <label>
            <span className="visually-hidden">Replicas of {workload.name}</span>
            <input
              type="number"
              min={0}
              max={100}
              required
              value={value}
              data-testid={`workload-replicas-${workload.name}`}
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
          <button
            type="submit"
            className="button secondary small"
            data-testid={`workload-scale-${workload.name}`}
            disabled={busy || !canAct.allowed}
            title={canAct.reason}
          >
            {busy ? 'Scaling…' : 'Scale'}
          </button>
        </form>
        <ErrorMessage error={error} />
      </td>
      <td>
        <button
          type="button"
          className="button secondary small"
          data-testid={`workload-logs-${workload.name}`}
          aria-label={`Logs of ${workload.name}`}
          onClick={() => onShowLogs({ namespace: workload.namespace, deployment: workload.name })}
        >
          Logs
        </button>
      </td>
    </tr>
  );
};

const WorkloadTableView = ({
  lab,
  workloads,
  onShowLogs,
}: {
  lab: string;
  workloads: WorkloadView[];
  version: number;
  onShowLogs: (target: LogsTarget) => void;
}) => {
  const [healing, setHealing] = useState(false);
  const canAct = useCan('act');
  const [error, setError] = useState<WireError>();
  const healAll = () => {
    setHealing(true);
    setError(undefined);
    api.actions.healPods.mutate({ lab }).then(
      () => setHealing(false),
      (cause: unknown) => {
        setHealing(false);
        setError(wireErrorOf(cause));
      },
    );
  };
  return (
    <section className="workloads" aria-label="Workloads">
      <header className="section-head">
        <h3>Workloads ({workloads.length})</h3>
        <button
          type="button"
          className="button secondary small"
          onClick={healAll}
          disabled={healing || !canAct.allowed}
          title={canAct.reason}
        >
          {healing ? 'Healing…' : 'Heal all broken pods'}
        </button>
      </header>
      <ErrorMessage error={error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Deployment</th>
            <th scope="col">Pool</th>
            <th scope="col" className="num">
              Available
            </th>
            <th scope="col">Status</th>
            <th scope="col">Replicas</th>
            <th scope="col">Logs</th>
          </tr>
        </thead>
        <tbody>
          {workloads.map((w) => (
            <WorkloadRow key={w.key} lab={lab} workload={w} onShowLogs={onShowLogs} />
          ))}
        </tbody>
      </table>
    </section>
  );
};

export const WorkloadTable = memo(
  WorkloadTableView,
  (a, b) => a.version === b.version && a.lab === b.lab && a.onShowLogs === b.onShowLogs,
);
