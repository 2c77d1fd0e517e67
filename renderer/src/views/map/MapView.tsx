// The live cluster map: the pools as lanes of node cards with their pods as chips, the Pending
// tray, the workloads, a details panel for the clicked node or pod, the free-play actions, and
// the Logs panel of a Deployment (opened from its row or from one of its pods).
// Follows `cluster.watch`; React re-renders at most once per animation frame.
import { useCallback, useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { TaskView } from '../../components/TaskView.tsx';
import { DeploymentLogs, type LogsTarget } from '../logs/DeploymentLogs.tsx';
import { NodeDetails } from './NodeDetails.tsx';
import { PendingTray } from './PendingTray.tsx';
import { PodDetails } from './PodDetails.tsx';
import { PoolLane } from './PoolLane.tsx';
import { useClusterStore } from './use-cluster-store.ts';
import { useClusterUsage, type UsageState } from './use-cluster-usage.ts';
import { WorkloadTable } from './WorkloadTable.tsx';

/** A selected pod remembers its node: when the pod goes (evicted, replaced) its node stays shown. */
type Selection = { kind: 'node'; name: string } | { kind: 'pod'; key: string; node: string } | undefined;

const LEGEND = [
  { tone: 'ok', letter: 'R', words: 'running, ready' },
  { tone: 'warn', letter: 'N', words: 'running, not ready' },
  { tone: 'bad', letter: 'C', words: 'crash loop' },
  { tone: 'wait', letter: 'P', words: 'pending' },
  { tone: 'bad', letter: 'F', words: 'failed' },
] as const;

// Says plainly when there are no CPU/memory figures, and why, instead of showing zeros.
const UsageNote = ({ usage }: { usage: UsageState }) => {
  if (usage.usage?.available === false)
    return (
      <div className="banner stale" role="status" data-testid="usage-unavailable">
        <strong>No CPU or memory figures: </strong>
        {usage.usage.reason}
        {usage.usage.fix && <span className="muted"> ({usage.usage.fix})</span>}
      </div>
    );
  if (usage.usage?.available && usage.nodes.size === 0)
    return (
      <p className="muted" role="status" data-testid="usage-waiting">
        CPU and memory: waiting for metrics-server's first figures (about a minute after the lab starts)…
      </p>
    );
  return null;
};

export const MapView = ({ lab }: { lab: string }) => {
  const { store, error } = useClusterStore(lab);
  const usage = useClusterUsage(lab);
  const [selection, setSelection] = useState<Selection>();
  const [tasks, setTasks] = useState<{ id: string; title: string }[]>([]);
  const [logsOf, setLogsOf] = useState<LogsTarget>();

  useEffect(() => {
    setSelection(undefined);
    setLogsOf(undefined);
  }, [lab]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setSelection(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const selectNode = useCallback((name: string) => setSelection({ kind: 'node', name }), []);
  const selectPod = useCallback(
    (key: string) => setSelection({ kind: 'pod', key, node: store.pods.get(key)?.node ?? '' }),
    [store],
  );
  const showLogs = useCallback((target: LogsTarget) => setLogsOf(target), []);
  const addTask = useCallback(
    (id: string, title: string) => setTasks((list) => [{ id, title }, ...list.filter((t) => t.id !== id)]),
    [],
  );

  const selectedPod = selection?.kind === 'pod' ? store.pods.get(selection.key) : undefined;
  const detailNodeName =
    selection?.kind === 'node' ? selection.name : selectedPod?.node || selection?.node || undefined;
  const detailNode = detailNodeName ? store.nodes.get(detailNodeName) : undefined;
  const selectedPodRef = selectedPod ? { key: selectedPod.key, node: selectedPod.node } : undefined;

  let readyNodes = 0;
  for (const node of store.nodes.values()) if (node.ready) readyNodes += 1;
  const pending = store.pendingPods();

  return (
    <div className="map-view" data-testid="cluster-map" data-loaded={String(store.loaded)}>
      <header className="view-head">
        <h2>Cluster map</h2>
        <p className="map-stats" aria-live="off">
          <span>
            {readyNodes}/{store.nodes.size} nodes ready
          </span>
          <span>{store.pods.size} pods</span>
          <span className={pending.length > 0 ? 'warn-text' : undefined}>{pending.length} pending</span>
          <span className="muted" data-testid="map-updated-at" data-at={store.at}>
            {store.at > 0 ? `updated ${new Date(store.at).toLocaleTimeString()}` : 'waiting for the lab…'}
          </span>
        </p>
        <ul className="legend" aria-label="Pod chip legend">
          {LEGEND.map((item) => (
            <li key={item.letter}>
              <span className={`pod-chip static tone-${item.tone}`}>
                <span className="chip-letter">{item.letter}</span>
              </span>{' '}
              {item.words}
            </li>
          ))}
        </ul>
      </header>
      {store.offline && (
        <div className="banner offline" role="status">
          <strong>Lab offline: </strong>
          {store.offline}
        </div>
      )}
      {store.stale && !store.offline && (
        <div className="banner stale" role="status" data-testid="map-stale">
          <strong>View may be out of date: </strong>
          {store.stale}
        </div>
      )}
      <ErrorMessage error={error} />
      {store.loaded && <UsageNote usage={usage} />}
      {tasks.length > 0 && (
        <div className="map-tasks">
          {tasks.map((task) => (
            <div key={task.id} className="map-task">
              <TaskView taskId={task.id} />
              <button
                type="button"
                className="button link small"
                onClick={() => setTasks((list) => list.filter((t) => t.id !== task.id))}
              >
                Dismiss
              </button>
            </div>
          ))}
        </div>
      )}
      <div className="map-body">
        <div className="lanes">
          {!store.loaded && !store.offline && <p className="placeholder">Connecting to lab {lab}…</p>}
          {store.pools().map((pool) => (
            <PoolLane
              key={pool.name}
              lab={lab}
              store={store}
              pool={pool}
              version={store.laneVersion(pool.name)}
              structureVersion={store.structureVersion}
              selectedNode={selection?.kind === 'node' ? selection.name : undefined}
              selectedPod={selectedPodRef}
              onSelectNode={selectNode}
              onSelectPod={selectPod}
              onTask={addTask}
              usage={usage.nodes}
            />
          ))}
          {store.loaded && (
            <WorkloadTable
              lab={lab}
              workloads={store.workloadList()}
              version={store.workloadsVersion}
              onShowLogs={showLogs}
            />
          )}
          {logsOf && (
            <DeploymentLogs
              key={`${logsOf.namespace}/${logsOf.deployment}`}
              lab={lab}
              {...logsOf}
              pods={[...store.pods.values()]
                .filter((p) => p.namespace === logsOf.namespace && p.workload === logsOf.deployment)
                .map((p) => p.name)}
              onClose={() => setLogsOf(undefined)}
            />
          )}
        </div>
        <aside className="map-side" aria-label="Details">
          <PendingTray
            pods={pending}
            version={store.pendingVersion}
            selectedPod={selectedPod?.key}
            onSelectPod={selectPod}
          />
          {selection && (
            <div className="details-box">
              <div className="details-bar">
                <button
                  type="button"
                  className="button link small"
                  onClick={() => setSelection(undefined)}
                  aria-label="Close details"
                >
                  Close ✕
                </button>
              </div>
              {selection.kind === 'pod' && !selectedPod && (
                <p className="muted">That pod is gone (deleted or replaced).</p>
              )}
              {selectedPod && (
                <PodDetails
                  lab={lab}
                  pod={selectedPod}
                  usage={usage.pods.get(selectedPod.key)}
                  onShowLogs={showLogs}
                />
              )}
              {detailNode && (
                <NodeDetails
                  lab={lab}
                  node={detailNode}
                  pods={store.podsOn(detailNode.name)}
                  onSelectPod={selectPod}
                  usage={usage.nodes.get(detailNode.name)}
                  podUsage={usage.pods}
                />
              )}
              {selection.kind === 'node' && !detailNode && <p className="muted">That node is gone.</p>}
            </div>
          )}
        </aside>
      </div>
    </div>
  );
};
