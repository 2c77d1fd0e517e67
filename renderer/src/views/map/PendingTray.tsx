// Pods that wait for a node, with the scheduler's reasons pool by pool. Memoised on the store's
// pending version; long lists show the first TRAY_LIMIT.
import { memo } from 'react';
import type { PodView } from '../../../../core/contract/wire-types.ts';

const TRAY_LIMIT = 50;

const PendingTrayView = ({
  pods,
  selectedPod,
  onSelectPod,
}: {
  pods: PodView[];
  version: number;
  selectedPod: string | undefined;
  onSelectPod: (key: string) => void;
}) => (
  <section
    className="pending-tray"
    data-testid="pending-tray"
    data-count={pods.length}
    aria-label="Pending pods"
  >
    <h3>
      Pending <span className={`count${pods.length > 0 ? ' warn' : ''}`}>{pods.length}</span>
    </h3>
    {pods.length === 0 ? (
      <p className="muted">Every pod has a node.</p>
    ) : (
      <ul className="pending-list">
        {pods.slice(0, TRAY_LIMIT).map((pod) => (
          <li key={pod.key} className={pod.key === selectedPod ? 'selected' : undefined}>
            <button
              type="button"
              className="button link pending-pod"
              data-testid={`pending-pod-${pod.name}`}
              onClick={() => onSelectPod(pod.key)}
            >
              <span className="letter tone-wait" aria-hidden="true">
                P
              </span>{' '}
              {pod.name}
            </button>
            {pod.pool && <span className="muted small pending-pool">for pool {pod.pool}</span>}
            <ul className="reasons">
              {(pod.unschedulable && pod.unschedulable.length > 0
                ? pod.unschedulable
                : [pod.reason ?? (pod.node ? `on ${pod.node}, starting` : 'waiting for the scheduler')]
              ).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </li>
        ))}
        {pods.length > TRAY_LIMIT && <li className="muted">and {pods.length - TRAY_LIMIT} more</li>}
      </ul>
    )}
  </section>
);

export const PendingTray = memo(
  PendingTrayView,
  (a, b) => a.version === b.version && a.selectedPod === b.selectedPod && a.onSelectPod === b.onSelectPod,
);
