// The selected pod: where it runs (or why nowhere), its state and events, and the free-play
// actions that break or heal its workload's pods, and the way to its workload's logs.
import { useState } from 'react';
import type { PodUsageView } from '../../../../core/contract/usage-types.ts';
import type { PodView, WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import type { LogsTarget } from '../logs/DeploymentLogs.tsx';
import { EventList } from './EventList.tsx';
import { podLook } from './pod-look.ts';
import { useCan } from '../../components/capabilities.tsx';
import { UsageBars } from './UsageBars.tsx';

type BreakMode = 'crashloop' | 'notready' | 'failed';

export const PodDetails = ({
  lab,
  pod,
  onShowLogs,
  usage,
}: {
  lab: string;
  pod: PodView;
  onShowLogs: (target: LogsTarget) => void;
  /** The pod's CPU and memory now against its requests, when there are figures. */
  usage?: PodUsageView;
}) => {
  const [mode, setMode] = useState<BreakMode>('crashloop');
  const [busy, setBusy] = useState(false);
  const canAct = useCan('act');
  const canInject = useCan('inject');
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<WireError>();
  const look = podLook(pod);

  const run = (call: () => Promise<void>, what: string) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    call().then(
      () => {
        setBusy(false);
        setDone(what);
      },
      (cause: unknown) => {
        setBusy(false);
        setError(wireErrorOf(cause));
      },
    );
  };

  return (
    <section className="details" data-testid="pod-details" aria-label={`pod ${pod.name}`}>
      <header className="details-head">
        <h3 className="wrap">{pod.name}</h3>
        <span className={`pod-chip static tone-${look.tone}`}>
          <span className="chip-letter" aria-hidden="true">
            {look.letter}
          </span>
          <span className="chip-name">{look.words}</span>
        </span>
      </header>
      <dl className="facts">
        <dt>Workload</dt>
        <dd>{pod.workload || '—'}</dd>
        <dt>Namespace</dt>
        <dd>{pod.namespace}</dd>
        <dt>Node</dt>
        <dd>{pod.node || 'none yet'}</dd>
        <dt>Pool</dt>
        <dd>{pod.pool || '—'}</dd>
        <dt>Phase</dt>
        <dd>{pod.phase}</dd>
        <dt>Ready</dt>
        <dd>{pod.ready ? 'yes' : 'no'}</dd>
        <dt>Restarts</dt>
        <dd>{pod.restarts}</dd>
        {pod.reason && (
          <>
            <dt>Reason</dt>
            <dd>{pod.reason}</dd>
          </>
        )}
      </dl>
      {usage && (
        <UsageBars
          testIdPrefix="pod-detail"
          name={pod.name}
          usage={usage.usage}
          of={usage.requests.cpuMillis > 0 || usage.requests.memoryBytes > 0 ? usage.requests : undefined}
        />
      )}
      {pod.unschedulable && pod.unschedulable.length > 0 && (
        <div className="unschedulable">
          <h4>Why no node takes it</h4>
          <ul>
            {pod.unschedulable.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {pod.workload && (
        <div className="actions">
          <label className="inline">
            Break {pod.workload}&apos;s pods:{' '}
            <select value={mode} onChange={(e) => setMode(e.target.value as BreakMode)}>
              <option value="crashloop">crash loop</option>
              <option value="notready">not ready</option>
              <option value="failed">failed</option>
            </select>
          </label>
          <button
            type="button"
            className="button danger small"
            disabled={busy || !canInject.allowed}
            title={canInject.reason}
            onClick={() =>
              run(
                () => api.actions.breakPods.mutate({ lab, deployment: pod.workload, mode }),
                `Broke ${pod.workload} (${mode}).`,
              )
            }
          >
            Break
          </button>
          <button
            type="button"
            className="button secondary small"
            disabled={busy || !canAct.allowed}
            title={canAct.reason}
            onClick={() =>
              run(
                () => api.actions.healPods.mutate({ lab, deployment: pod.workload }),
                `Healed ${pod.workload}.`,
              )
            }
          >
            Heal
          </button>
          <button
            type="button"
            className="button secondary small"
            data-testid="pod-workload-logs"
            onClick={() => onShowLogs({ namespace: pod.namespace, deployment: pod.workload })}
          >
            Logs of {pod.workload}
          </button>
        </div>
      )}
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
      <ErrorMessage error={error} />
      <EventList lab={lab} kind="Pod" name={pod.name} refreshKey={`${pod.phase}/${pod.ready}/${pod.node}`} />
    </section>
  );
};
