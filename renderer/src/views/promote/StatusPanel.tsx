// What runs on AWS now: the stack, the cluster, the node groups (with "scale to 0 for idle
// hours" and scale back), and the add-ons.
import { useEffect, useState } from 'react';
import type { PromoteStatusView, WireError } from '../../../../core/contract/wire-types.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';

const NodegroupRow = ({
  group,
  busy,
  onScale,
}: {
  group: PromoteStatusView['nodegroups'][number];
  busy: boolean;
  onScale: (pool: string, nodes: number) => void;
}) => {
  const [nodes, setNodes] = useState(String(group.desired ?? 1));
  // Follow the node group's size, but keep the last non-zero size after an idle scale, ready to come back.
  useEffect(() => {
    if (group.desired) setNodes(String(group.desired));
  }, [group.desired]);
  const inputId = `prm-scale-${group.name}`;
  const valid = /^\d+$/.test(nodes) && Number(nodes) <= 100;
  return (
    <tr data-testid={`promote-nodegroup-${group.name}`} data-desired={group.desired ?? ''}>
      <td>{group.name}</td>
      <td>{group.status}</td>
      <td>{group.instanceType ?? '—'}</td>
      <td>{group.desired ?? '—'}</td>
      <td className="prm-scale">
        <button
          type="button"
          className="button"
          data-testid={`promote-idle-${group.name}`}
          disabled={busy || group.desired === 0}
          onClick={() => onScale(group.name, 0)}
          title="Scale this pool's node group to 0 nodes while nobody uses it"
        >
          Scale to 0 (idle)
        </button>
        <label htmlFor={inputId} className="visually-hidden">
          Nodes for pool {group.name}
        </label>
        <input
          id={inputId}
          type="number"
          min={0}
          max={100}
          value={nodes}
          data-testid={`promote-scale-${group.name}`}
          onChange={(e) => setNodes(e.target.value)}
        />
        <button
          type="button"
          className="button"
          data-testid={`promote-scale-submit-${group.name}`}
          disabled={busy || !valid}
          onClick={() => onScale(group.name, Number(nodes))}
        >
          Scale
        </button>
      </td>
    </tr>
  );
};

export const StatusPanel = ({
  status,
  error,
  loading,
  busy,
  onRefresh,
  onScale,
}: {
  status: PromoteStatusView | undefined;
  error: WireError | undefined;
  loading: boolean;
  busy: boolean;
  onRefresh: () => void;
  onScale: (pool: string, nodes: number) => void;
}) => (
  <section
    className="prm-card"
    data-testid="promote-status"
    data-exists={status ? String(status.exists) : ''}
    aria-labelledby="prm-status-title"
    aria-busy={loading}
  >
    <header className="prm-card-head">
      <h3 id="prm-status-title">On AWS now</h3>
      <button type="button" className="button" onClick={onRefresh} disabled={loading}>
        {loading ? 'Refreshing…' : 'Refresh'}
      </button>
    </header>
    <ErrorMessage error={error} />
    {!status ? (
      !error && <p className="prm-muted">Reading the status…</p>
    ) : !status.exists ? (
      <p className="prm-muted">
        Lab <code>{status.lab}</code> is not promoted in <code>{status.region}</code> yet.
      </p>
    ) : (
      <>
        <dl className="prm-facts">
          {status.stack && (
            <>
              <dt>Network stack</dt>
              <dd>
                <code>{status.stack.name}</code> {status.stack.status}
              </dd>
            </>
          )}
          {status.cluster && (
            <>
              <dt>Cluster</dt>
              <dd data-testid="promote-cluster" data-status={status.cluster.status}>
                <code>{status.cluster.name}</code> {status.cluster.status}
                {status.cluster.version ? ` · Kubernetes ${status.cluster.version}` : ''}
              </dd>
              {status.cluster.endpoint && (
                <>
                  <dt>Endpoint</dt>
                  <dd>
                    <code>{status.cluster.endpoint}</code>
                  </dd>
                </>
              )}
            </>
          )}
          <dt>Region</dt>
          <dd>
            <code>{status.region}</code>
          </dd>
        </dl>
        <h4>Node groups</h4>
        {status.nodegroups.length === 0 ? (
          <p className="prm-muted">No node groups.</p>
        ) : (
          <div className="prm-table-box">
            <table className="prm-table">
              <thead>
                <tr>
                  <th scope="col">Pool</th>
                  <th scope="col">Status</th>
                  <th scope="col">Instance type</th>
                  <th scope="col">Desired</th>
                  <th scope="col">Scale</th>
                </tr>
              </thead>
              <tbody>
                {status.nodegroups.map((group) => (
                  <NodegroupRow key={group.name} group={group} busy={busy} onScale={onScale} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h4>Add-ons</h4>
        {status.addons.length === 0 ? (
          <p className="prm-muted">No add-ons.</p>
        ) : (
          <ul className="prm-addons">
            {status.addons.map((addon) => (
              <li key={addon.name}>
                <code>{addon.name}</code> {addon.status}
              </li>
            ))}
          </ul>
        )}
      </>
    )}
  </section>
);
