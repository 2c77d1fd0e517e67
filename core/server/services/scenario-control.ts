// Driving a running scenario from the UI: hint, solution and abort go through the run's control
// file (which the runner reads between checks), so a run started in a terminal is driven the
// same way; each call waits until the runner has acted.
import type { RunView } from '../../contract/wire-types.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { requestControl, type RunState, type StepOutcome } from '../../scenarios/run-files.ts';
import { recoverStaleRun } from '../../scenarios/scenario-recovery.ts';
import type { Step } from '../../scenarios/scenario-types.ts';
import { notRunning, type LiveRuns } from './scenario-live-runs.ts';
import type { ServiceContext } from './service-context.ts';

/** How long hint and solution wait for the runner to act (it reads requests between checks). */
const CONTROL_TIMEOUT_MS = 30_000;
/** Abort includes the rollback, which re-applies the shop. */
const ABORT_TIMEOUT_MS = 180_000;

/** What tells a hint from the solution: when it is refused, asked for, and seen revealed. */
export interface Reveal {
  kind: 'hint' | 'solution';
  /** What the fix of "not in a step" asks for. */
  asked: string;
  /** An error when the step cannot reveal it (e.g. no hints left). */
  refuse?(outcome: StepOutcome, step: Step | undefined): KartStreamError | undefined;
  /** Whether the runner must be asked (a solution already shown is not asked for again). */
  ask(outcome: StepOutcome): boolean;
  /** Whether the step's outcome now shows it revealed. */
  revealed(now: StepOutcome | undefined, before: StepOutcome): boolean;
}

export const HINT: Reveal = {
  kind: 'hint',
  asked: 'a hint',
  refuse: (outcome, step) =>
    step && outcome.hintsRevealed >= step.hints.length
      ? new KartStreamError(
          'conflict',
          `step "${step.title}" has no more hints (${step.hints.length} of ${step.hints.length} shown)`,
          { fix: "reveal the solution if you are stuck (it costs the step's points)" },
        )
      : undefined,
  ask: () => true,
  revealed: (now, before) => (now?.hintsRevealed ?? 0) > before.hintsRevealed,
};

export const SOLUTION: Reveal = {
  kind: 'solution',
  asked: 'the solution',
  ask: (outcome) => !outcome.solutionRevealed,
  revealed: (now) => now?.solutionRevealed === true,
};

// Asks the runner to reveal a hint or the solution of the current step, and waits for the reveal
// (or for the run to move on).
export const requestReveal = async (runs: LiveRuns, lab: string, reveal: Reveal): Promise<RunView> => {
  const { state, dead } = await runs.runningRun(lab);
  if (dead) throw await notRunning(lab, await recoverStaleRun(lab));
  const index = state.currentStep;
  const outcome = state.steps[index];
  if (!outcome || outcome.state !== 'running')
    throw new KartStreamError('conflict', 'the run is not in a step right now', {
      fix: `ask for ${reveal.asked} once a step has started`,
    });
  if (reveal.refuse) {
    const refusal = reveal.refuse(outcome, (await runs.store.scenarioOf(state))?.steps[index]);
    if (refusal) throw refusal;
  }
  if (reveal.ask(outcome)) await requestControl(state.id, reveal.kind);
  return runs.waitForRun(
    state,
    (s: RunState) =>
      s.state !== 'running' || s.currentStep !== index || reveal.revealed(s.steps[index], outcome),
    CONTROL_TIMEOUT_MS,
    reveal.kind,
  );
};

// Stops the lab's running scenario (which rolls it back) and waits until it has ended.
export const abortRun = async (ctx: ServiceContext, runs: LiveRuns, lab: string): Promise<RunView> => {
  const { state, dead } = await runs.runningRun(lab);
  if (dead) {
    await recoverStaleRun(lab);
    return (await runs.viewOf(state.id)) as RunView;
  }
  // Outside its steps (setup, steady state) a runner reads no requests: a run of ours is
  // stopped through its task instead, which rolls it back the same way.
  const entry = runs.live.get(lab);
  const inStep = state.steps[state.currentStep]?.state === 'running';
  if (inStep) await requestControl(state.id, 'abort');
  else if (entry?.runId === state.id) ctx.tasks.cancel(entry.taskId);
  else
    throw new KartStreamError(
      'conflict',
      `run ${state.id} is setting up or checking the steady state, when its runner takes no requests`,
      { fix: 'abort it once its first step runs, or stop it in its terminal (Ctrl-C)' },
    );
  return runs.waitForRun(state, (s) => s.state !== 'running', ABORT_TIMEOUT_MS, 'abort');
};
