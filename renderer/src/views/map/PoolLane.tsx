// One pool as a lane: its name, taint, readiness and a scale control in the header, its nodes
// as a windowed grid of fixed-size cards below (only the rows in view are in the DOM, so a pool
// of 500 nodes scrolls as lightly as one of two).
import { memo, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { NodeUsageView } from '../../../../core/contract/usage-types.ts';
import type { PoolView, WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import type { ClusterStore } from './cluster-store.ts';
import { columnsFor, laneBodyHeight, ROW_HEIGHT, rowItems, rowsFor } from './grid-layout.ts';
import { useCan } from '../../components/capabilities.tsx';
import { NodeCard } from './NodeCard.tsx';

interface PoolLaneProps {
  lab: string;
  store: ClusterStore;
  pool: PoolView;
  /** The lane's version in the store (any node or pod of the pool changed). */
  version: number;
  structureVersion: number;
  selectedNode: string | undefined;
  selectedPod: { key: string; node: string } | undefined;
  onSelectNode: (name: string) => void;
  onSelectPod: (key: string) => void;
  onTask: (taskId: string, title: string) => void;
  /** CPU and memory per node (empty without a Metrics API); a new map when figures change. */
  usage: Map<string, NodeUsageView>;
}

const PoolScale = ({
  lab,
  pool,
  current,
  onTask,
}: {
  lab: string;
  pool: string;
  current: number;
  onTask: PoolLaneProps['onTask'];
}) => {
  // Follows the pool's node count until the user types a number.
  const [typed, setTyped] = useState<string>();
  const [busy, setBusy] = useState(false);
  const canAct = useCan('act');
  const [error, setError] = useState<WireError>();
  const value = typed ?? String(current);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    api.actions.scalePool.mutate({ lab, pool, nodes: Number(value) }).then(
      ({ taskId }) => {
        setBusy(false);
        setTyped(undefined);
        onTask(taskId, `Scale pool ${pool} to ${value}`);
      },
      (cause: unknown) => {
        setBusy(false);
        setError(wireErrorOf(cause));
      },
    );
  };
  return (
    <form className="pool-scale" onSubmit={submit}>
      <label>
        <span className="visually-hidden">Nodes in pool {pool}</span>
        <input
          type="number"
          min={0}
          max={5000}
          required
          value={value}
          data-testid={`pool-scale-${pool}`}
          onChange={(e) => setTyped(e.target.value)}
        />
      </label>
      <button
        type="submit"
        className="button secondary small"
        data-testid={`pool-scale-submit-${pool}`}
        disabled={busy || !canAct.allowed}
        title={canAct.reason}
      >
        {busy ? 'Scaling…' : 'Scale'}
      </button>
      {error && (
        <div className="pool-scale-error">
          <ErrorMessage error={error} />
        </div>
      )}
    </form>
  );
};

const PoolLaneView = ({
  lab,
  store,
  pool,
  selectedNode,
  selectedPod,
  onSelectNode,
  onSelectPod,
  onTask,
  usage,
}: PoolLaneProps) => {
  const names = store.nodesIn(pool.name);
  const { ready, total } = store.readiness(pool.name);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);

  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    // The body has 8px of padding on each side (styles.css .lane-body).
    const measure = () => setColumns(columnsFor(el.clientWidth - 16));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const rows = rowsFor(names.length, columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => bodyRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 2,
  });
  const taintText = pool.taint || 'no taint';

  return (
    <section
      className="pool-lane"
      data-testid={`pool-lane-${pool.name}`}
      data-taint={pool.taint}
      aria-label={`pool ${pool.name}`}
    >
      <header className="lane-head">
        <h3 className="lane-name">{pool.name}</h3>
        <span className="badge taint" title="Only pods that tolerate this taint run here">
          <span aria-hidden="true">⚑ </span>
          {taintText}
        </span>
        <span className={`lane-ready${ready < total ? ' degraded' : ''}`}>
          {ready}/{total} nodes ready
        </span>
        <PoolScale lab={lab} pool={pool.name} current={total} onTask={onTask} />
      </header>
      <div
        className="lane-body"
        ref={bodyRef}
        style={{ height: laneBodyHeight(names.length, pool.desiredNodes, columns) }}
      >
        {names.length === 0 ? (
          <p className="lane-empty">No nodes in this pool.</p>
        ) : (
          <div className="lane-grid" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((row) => (
              <div
                key={row.key}
                className="lane-row"
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              >
                {rowItems(names, row.index, columns).map((name) => {
                  const node = store.nodes.get(name);
                  if (!node) return null;
                  return (
                    <NodeCard
                      key={name}
                      node={node}
                      pods={store.podsOn(name)}
                      version={store.nodeVersion(name)}
                      selected={selectedNode === name}
                      selectedPod={selectedPod?.node === name ? selectedPod.key : undefined}
                      onSelectNode={onSelectNode}
                      onSelectPod={onSelectPod}
                      usage={usage.get(name)}
                    />
                  );
                })}
              </div>
            ))}
          </div>
        )}
      </div>
    </section>
  );
};

export const PoolLane = memo(
  PoolLaneView,
  (a, b) =>
    a.version === b.version &&
    a.structureVersion === b.structureVersion &&
    a.usage === b.usage &&
    a.pool === b.pool &&
    a.lab === b.lab &&
    a.selectedNode === b.selectedNode &&
    a.selectedPod?.key === b.selectedPod?.key &&
    a.selectedPod?.node === b.selectedPod?.node,
);
