// CPU and memory as two labelled bars: used against allocatable (a node) or requests (a pod).
// The words carry the figures; the bar is only a picture of the share.
import type { ResourceAmount } from '../../../../core/contract/usage-types.ts';
import { describeUsage, percentOf } from './usage-format.ts';

const Bar = ({
  testId,
  label,
  used,
  of,
  text,
}: {
  testId: string;
  label: string;
  used: number;
  of: number | undefined;
  text: string;
}) => {
  const pct = percentOf(used, of);
  return (
    <div className="usage-bar" data-testid={testId}>
      <span className="usage-label">{label}</span>
      <span className="usage-track" aria-hidden="true">
        <span
          className={`usage-fill${pct !== undefined && pct >= 90 ? ' high' : ''}`}
          style={{ width: `${Math.min(pct ?? 0, 100)}%` }}
        />
      </span>
      <span className="usage-text">{text}</span>
    </div>
  );
};

export const UsageBars = ({
  testIdPrefix,
  name,
  usage,
  of,
}: {
  /** e.g. "detail" gives `detail-cpu-<name>` and `detail-memory-<name>`. */
  testIdPrefix: string;
  name: string;
  usage: ResourceAmount;
  /** Allocatable for a node, requests for a pod. */
  of: ResourceAmount | undefined;
}) => (
  <div className="usage-bars">
    <Bar
      testId={`${testIdPrefix}-cpu-${name}`}
      label="CPU"
      used={usage.cpuMillis}
      of={of?.cpuMillis}
      text={describeUsage('cpu', usage, of)}
    />
    <Bar
      testId={`${testIdPrefix}-memory-${name}`}
      label="Memory"
      used={usage.memoryBytes}
      of={of?.memoryBytes}
      text={describeUsage('memory', usage, of)}
    />
  </div>
);
