// The run's steps with their states, the current one marked.
import type { RunStepView } from '../../../../core/contract/wire-types.ts';

const MARK: Record<RunStepView['state'], string> = {
  pending: '○',
  running: '▶',
  passed: '✓',
  'timed-out': '✗',
  aborted: '–',
};

export const StepList = ({ steps, current }: { steps: RunStepView[]; current: number }) => (
  <ol className="scn-steps" aria-label="Steps">
    {steps.map((step, i) => (
      <li
        key={step.id}
        className={`scn-step scn-step-${step.state}`}
        data-state={step.state}
        aria-current={i === current ? 'step' : undefined}
      >
        <span className="scn-step-mark" aria-hidden="true">
          {MARK[step.state]}
        </span>
        <span className="scn-step-title">{step.title}</span>
        <span className="scn-step-state">{step.state}</span>
      </li>
    ))}
  </ol>
);
