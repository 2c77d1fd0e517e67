// The create-lab form: name, backend (auto shows which one it picks and why), monitoring, and
// the topology the lab gets. Submitting starts the create task; the caller shows its TaskView.
import { useState, type FormEvent } from 'react';
import type {
  BackendChoiceView,
  TopologyPreview as Preview,
  WireError,
} from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { useCan } from './capabilities.tsx';
import { TopologyPreview } from './TopologyPreview.tsx';

type BackendField = 'auto' | 'sim' | 'kind';

/** Same rule as the server's (core/contract/inputs.ts), to say so before the round trip. */
const LAB_NAME = /^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/;

export const CreateLabForm = ({
  defaultName,
  busy,
  onStarted,
}: {
  defaultName: string;
  /** A create task is running: the button waits for it. */
  busy: boolean;
  onStarted: (taskId: string, lab: string) => void;
}) => {
  const [typedName, setTypedName] = useState<string>();
  const canHost = useCan('host');
  const name = typedName ?? defaultName;
  const [backend, setBackend] = useState<BackendField>('auto');
  const [monitoring, setMonitoring] = useState(true);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<WireError>();

  const choice = useQuery<BackendChoiceView>(
    () => api.labs.backendChoice.query(backend === 'auto' ? {} : { backend }),
    [backend],
  );
  const topology = useQuery<Preview>(() => api.labs.topology.query({}), []);
  const nameOk = LAB_NAME.test(name);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitting(true);
    setError(undefined);
    api.labs.create.mutate({ name, monitoring, ...(backend === 'auto' ? {} : { backend }) }).then(
      ({ taskId }) => {
        setSubmitting(false);
        setTypedName(undefined);
        onStarted(taskId, name);
      },
      (cause: unknown) => {
        setSubmitting(false);
        setError(wireErrorOf(cause));
      },
    );
  };

  return (
    <form
      className="create-lab card"
      data-testid="create-lab-form"
      onSubmit={submit}
      aria-label="Create a lab"
    >
      <div className="form-grid">
        <label htmlFor="create-lab-name">Lab name</label>
        <div>
          <input
            id="create-lab-name"
            data-testid="create-lab-name"
            value={name}
            onChange={(e) => setTypedName(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!nameOk}
            aria-describedby="create-lab-name-help"
          />
          <p id="create-lab-name-help" className={nameOk ? 'help' : 'help bad'}>
            Lower-case letters, digits and “-”, starting with a letter, at most 32 characters.
          </p>
        </div>
        <label htmlFor="create-lab-backend">Backend</label>
        <div>
          <select
            id="create-lab-backend"
            data-testid="create-lab-backend"
            value={backend}
            onChange={(e) => setBackend(e.target.value as BackendField)}
          >
            <option value="auto">auto (pick for me)</option>
            <option value="sim">sim (simulated nodes, no Docker needed)</option>
            <option value="kind">kind (real containers in Docker)</option>
          </select>
          <p className="help backend-reason" data-testid="backend-reason" aria-live="polite">
            {choice.loading && !choice.data
              ? 'Checking which backend fits this machine…'
              : choice.data
                ? `${backend === 'auto' ? 'Auto picks' : 'Uses'} ${choice.data.backend}: ${choice.data.reason}`
                : ''}
          </p>
          <ErrorMessage error={choice.error} />
        </div>
        <span className="label">Monitoring</span>
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="create-lab-monitoring"
            checked={monitoring}
            onChange={(e) => setMonitoring(e.target.checked)}
          />{' '}
          Prometheus and Alertmanager (alerts and charts; the alerting scenarios need them)
        </label>
      </div>
      <TopologyPreview preview={topology.data} error={topology.error} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          data-testid="create-lab-submit"
          disabled={submitting || busy || !canHost.allowed}
          title={canHost.reason}
        >
          {submitting ? 'Starting…' : busy ? 'Creating…' : 'Create lab'}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
};
