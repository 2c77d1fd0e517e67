// A scenario run told as a task: one task step per phase and scenario step, progress as steps
// pass, and each new set of check results in the log (the same lines `scenario run` prints).
import type { RunState } from '../../scenarios/run-files.ts';
import type { CheckResult } from '../../scenarios/scenario-checks.ts';
import type { Scenario } from '../../scenarios/scenario-types.ts';
import type { TaskReporter } from '../../tasks/task.ts';

export const scenarioProgress = (task: TaskReporter, scenario: Scenario) => {
  let phase = '';
  let lastChecks = '';
  const enter = (title: string) => {
    if (title === phase) return;
    phase = title;
    lastChecks = '';
    task.step(title);
  };
  return {
    update(state: RunState, results?: CheckResult[]): void {
      const total = state.steps.length;
      const step = state.steps[state.currentStep];
      if (!step) enter('Set up the scenario and check the steady state');
      else if (step.state === 'running' || step.state === 'pending')
        enter(`Step ${state.currentStep + 1}/${total}: ${step.title}`);
      // A passed step that is not the last one is followed by the next step at once.
      else if (step.state !== 'passed' || state.currentStep === total - 1)
        enter('Check the steady state and roll back');
      task.progress(state.steps.filter((s) => s.state === 'passed').length / total, phase);
      if (!results) return;
      const text = results.map((r) => `${r.ok ? '✓' : '·'} ${r.text}: ${r.detail}`).join('\n');
      if (text === lastChecks) return;
      lastChecks = text;
      for (const line of text.split('\n')) task.log(line);
    },
    end(state: RunState): void {
      task.progress(
        1,
        `${scenario.title}: ${state.state}, score ${state.score ?? 0} of ${state.maxScore ?? '?'}${state.reason ? ` (${state.reason})` : ''}`,
      );
      task.log(`run ${state.id} ${state.state}; report: npx kartstream scenario report ${state.id}`);
    },
  };
};
