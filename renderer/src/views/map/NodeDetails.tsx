// The selected node: its conditions, taints, pods and recent events, and the free-play actions
// fail (the node goes NotReady, its pods are evicted) and heal.
import { useState } from 'react';
import type { NodeUsageView, PodUsageView } from '../../../../core/contract/usage-types.ts';
import type { NodeView, PodView, WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { EventList } from './EventList.tsx';
import { nodeState, podLook } from './pod-look.ts';
import { UsageBars } from './UsageBars.tsx';
import { useCan } from '../../components/capabilities.tsx';
import { formatCpu, formatMemory } from './usage-format.ts';

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

export const NodeDetails = ({
  lab,
  node,
  pods,
  onSelectPod,
  usage,
  podUsage,
}: {
  lab: string;
  node: NodeView;
  pods: PodView[];
  onSelectPod: (key: string) => void;
  /** The node's CPU and memory now against its allocatable, when there are figures. */
  usage?: NodeUsageView;
  podUsage?: Map<string, PodUsageView>;
}) => {
  const [busy, setBusy] = useState<'fail' | 'heal'>();
  const canAct = useCan('act');
  const canInject = useCan('inject');
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<WireError>();
  const state = nodeState(node);

  const act = (action: 'fail' | 'heal') => {
    setBusy(action);
    setError(undefined);
    setDone(undefined);
    const call = action === 'fail' ? api.actions.failNode : api.actions.healNode;
    call.mutate({ lab, node: node.name }).then(
      () => {
        setBusy(undefined);
        setDone(action === 'fail' ? `Asked ${node.name} to fail.` : `Asked ${node.name} to heal.`);
      },
      (cause: unknown) => {
        setBusy(undefined);
        setError(wireErrorOf(cause));
      },
    );
  };

  return (
    <section className="details" data-testid="node-details" aria-label={`node ${node.name}`}>
      <header className="details-head">
        <h3>{node.name}</h3>
        <span className={`node-state node-state-${state}`}>{state.replace('-', ' ')}</span>
      </header>
      <dl className="facts">
        <dt>Pool</dt>
        <dd>{node.pool}</dd>
        <dt>Ready</dt>
        <dd>{yesNo(node.ready)}</dd>
        <dt>Schedulable</dt>
        <dd>{node.schedulable ? 'yes' : 'no (cordoned)'}</dd>
        <dt>Fault</dt>
        <dd>{node.fault ?? 'none'}</dd>
        <dt>Taints</dt>
        <dd className="taint-list">
          {node.taints.length > 0 ? node.taints.map((t) => <code key={t}>{t}</code>) : 'none'}
        </dd>
        <dt>Created</dt>
        <dd>{new Date(node.createdAt).toLocaleString()}</dd>
      </dl>
      {usage ? (
        <UsageBars testIdPrefix="node-detail" name={node.name} usage={usage.usage} of={usage.allocatable} />
      ) : (
        <p className="muted" data-testid="node-detail-no-usage">
          No CPU or memory figures for this node (in a sim lab, a node without pods has none).
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button danger"
          data-testid="node-fail"
          disabled={busy !== undefined || !canInject.allowed}
          title={canInject.reason}
          onClick={() => act('fail')}
        >
          {busy === 'fail' ? 'Failing…' : 'Fail node'}
        </button>
        <button
          type="button"
          className="button secondary"
          data-testid="node-heal"
          disabled={busy !== undefined || !canAct.allowed}
          title={canAct.reason}
          onClick={() => act('heal')}
        >
          {busy === 'heal' ? 'Healing…' : 'Heal node'}
        </button>
      </div>
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
      <ErrorMessage error={error} />
      <h4>Pods ({pods.length})</h4>
      {pods.length === 0 ? (
        <p className="muted">No pods on this node.</p>
      ) : (
        <ul className="pod-list">
          {pods.map((pod) => {
            const look = podLook(pod);
            const figures = podUsage?.get(pod.key)?.usage;
            return (
              <li key={pod.key}>
                <button type="button" className="button link" onClick={() => onSelectPod(pod.key)}>
                  <span className={`letter tone-${look.tone}`} aria-hidden="true">
                    {look.letter}
                  </span>{' '}
                  {pod.name}
                </button>{' '}
                <span className="muted">{look.words}</span>
                {figures && (
                  <span className="muted pod-usage" data-testid={`node-detail-pod-usage-${pod.name}`}>
                    {' '}
                    · {formatCpu(figures.cpuMillis)} CPU, {formatMemory(figures.memoryBytes)}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <EventList
        lab={lab}
        kind="Node"
        name={node.name}
        refreshKey={`${node.ready}/${node.schedulable}/${node.fault ?? ''}`}
      />
    </section>
  );
};
