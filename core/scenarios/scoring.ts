// Scoring as SCENARIOS.md sets it: points per passed step, a cost per hint, the step's points
// lost for a revealed solution, and a bonus for finishing under the expected time.
import type { RunState } from './run-files.ts';
import type { Scenario } from './scenario-types.ts';

export const TIME_BONUS = 50;

export const maxScore = (scenario: Scenario): number =>
  scenario.steps.length * scenario.scoring.step + (scenario.scoring.timeBonus ? TIME_BONUS : 0);

export const score = (scenario: Scenario, state: RunState, elapsedMs: number): number => {
  const { step, hint, solution, timeBonus } = scenario.scoring;
  let total = 0;
  for (const s of state.steps) {
    if (s.state === 'passed') total += step;
    total += s.hintsRevealed * hint;
    if (s.solutionRevealed) total += solution;
  }
  const allPassed = state.steps.every((s) => s.state === 'passed');
  if (timeBonus && allPassed) {
    const expected = scenario.minutes * 60_000;
    total += Math.round(TIME_BONUS * Math.max(0, 1 - elapsedMs / expected));
  }
  return Math.max(0, total);
};
