// One node as a fixed-size card: its name and state (ready / not ready / cordoned, each with its
// own mark and border, not colour alone) and its pods as chips. Memoised on the node's version
// in the store, so a change elsewhere in the cluster does not re-render it. Chips are one
// element each (the letter is drawn by CSS from data-letter) and share the card's one click
// handler, so a thousand visible chips stay cheap to render. Chips are out of the tab order (a
// big map would take thousands of Tab presses); the keyboard reaches a pod through its node's
// head button and the pod list in the node details.
import { memo, type MouseEvent } from 'react';
import type { NodeUsageView } from '../../../../core/contract/usage-types.ts';
import type { NodeView, PodView } from '../../../../core/contract/wire-types.ts';
import { visibleChips } from './grid-layout.ts';
import { chipName, nodeState, podLook } from './pod-look.ts';
import { describeUsage, percentOf } from './usage-format.ts';

const NODE_LABEL = {
  ready: { mark: '✓', text: 'Ready' },
  'not-ready': { mark: '✗', text: 'Not ready' },
  cordoned: { mark: '⊘', text: 'Cordoned' },
} as const;

interface NodeCardProps {
  node: NodeView;
  pods: PodView[];
  /** The node's version in the store: the card re-renders only when it (or the selection) moves. */
  version: number;
  selected: boolean;
  /** The selected pod's key when it runs on this node. */
  selectedPod: string | undefined;
  onSelectNode: (name: string) => void;
  onSelectPod: (key: string) => void;
  /** CPU and memory now, when the cluster has a Metrics API and figures for this node. */
  usage?: NodeUsageView;
}

// "CPU 12% · mem 30%" of allocatable; the full figures in the tooltip.
const NodeUsage = ({ name, usage }: { name: string; usage: NodeUsageView }) => {
  const cpu = percentOf(usage.usage.cpuMillis, usage.allocatable?.cpuMillis);
  const memory = percentOf(usage.usage.memoryBytes, usage.allocatable?.memoryBytes);
  const cpuText = describeUsage('cpu', usage.usage, usage.allocatable);
  const memoryText = describeUsage('memory', usage.usage, usage.allocatable);
  return (
    <span className="node-usage" title={`CPU ${cpuText}; memory ${memoryText}`}>
      <span
        data-testid={`node-cpu-${name}`}
        data-millis={usage.usage.cpuMillis}
        aria-label={`CPU ${cpuText}`}
      >
        CPU {cpu === undefined ? cpuText : `${cpu}%`}
      </span>
      <span
        data-testid={`node-memory-${name}`}
        data-bytes={usage.usage.memoryBytes}
        aria-label={`memory ${memoryText}`}
      >
        mem {memory === undefined ? memoryText : `${memory}%`}
      </span>
    </span>
  );
};

const NodeCardView = ({
  node,
  pods,
  selected,
  selectedPod,
  onSelectNode,
  onSelectPod,
  usage,
}: NodeCardProps) => {
  const state = nodeState(node);
  const label = NODE_LABEL[state];
  const { shown, more } = visibleChips(pods);
  // A click on a chip selects its pod; anywhere else on the card (the head, "+N more") the node.
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const chip = (e.target as HTMLElement).closest<HTMLElement>('[data-pod]');
    if (chip?.dataset.pod) onSelectPod(chip.dataset.pod);
    else onSelectNode(node.name);
  };
  return (
    <div
      className={`node-card node-${state}${selected ? ' selected' : ''}`}
      data-testid={`node-card-${node.name}`}
      data-ready={String(node.ready)}
      data-schedulable={String(node.schedulable)}
      data-state={state}
      onClick={onClick}
    >
      <button
        type="button"
        className="node-head"
        aria-pressed={selected}
        aria-label={`node ${node.name}, ${label.text}, ${pods.length} pods`}
      >
        <span className="node-name">{node.name}</span>
        <span className={`node-state node-state-${state}`}>
          <span aria-hidden="true">{label.mark}</span> {label.text}
        </span>
      </button>
      <div className="node-sub">
        <span>
          {pods.length} pod{pods.length === 1 ? '' : 's'}
        </span>
        {node.fault && <span className="node-fault">fault: {node.fault}</span>}
        {usage && <NodeUsage name={node.name} usage={usage} />}
      </div>
      <div className="chips">
        {shown.map((pod) => {
          const look = podLook(pod);
          return (
            <button
              key={pod.key}
              type="button"
              className={`pod-chip tone-${look.tone}${pod.key === selectedPod ? ' selected' : ''}`}
              data-testid={`pod-chip-${pod.name}`}
              data-phase={pod.phase}
              data-ready={pod.ready ? 'true' : 'false'}
              data-letter={look.letter}
              data-pod={pod.key}
              title={`${pod.name}: ${look.words}`}
              aria-label={`pod ${pod.name}, ${look.words}`}
              aria-pressed={pod.key === selectedPod}
              tabIndex={-1}
            >
              {chipName(pod)}
            </button>
          );
        })}
        {more > 0 && (
          <button type="button" className="pod-chip chip-more" tabIndex={-1}>
            +{more} more
          </button>
        )}
      </div>
    </div>
  );
};

export const NodeCard = memo(
  NodeCardView,
  (a, b) =>
    a.version === b.version &&
    a.usage === b.usage &&
    a.selected === b.selected &&
    a.selectedPod === b.selectedPod &&
    a.onSelectNode === b.onSelectNode &&
    a.onSelectPod === b.onSelectPod,
);
