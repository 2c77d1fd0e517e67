// Hint and solution share one "request control and wait for the reveal" path; what tells them
// apart is when each is refused, asked for and seen revealed.
import { describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../../core/scenarios/run-files.ts';
import type { Step } from '../../../core/scenarios/scenario-types.ts';
import { HINT, SOLUTION } from '../../../core/server/services/scenario-control.ts';

const outcome = (extra: Partial<StepOutcome> = {}): StepOutcome => ({
  id: 'find',
  title: 'Find the node',
  state: 'running',
  hintsRevealed: 0,
  solutionRevealed: false,
  checks: [],
  ...extra,
});

const step = { title: 'Find the node', hints: ['one', 'two'] } as Step;

describe('HINT', () => {
  it('is asked for while hints are left, and seen once one more is revealed', () => {
    expect(HINT.refuse?.(outcome({ hintsRevealed: 1 }), step)).toBeUndefined();
    expect(HINT.ask(outcome())).toBe(true);
    expect(HINT.revealed(outcome({ hintsRevealed: 1 }), outcome())).toBe(true);
    expect(HINT.revealed(outcome(), outcome())).toBe(false);
  });

  it('is refused with a fix when every hint is shown', () => {
    expect(HINT.refuse?.(outcome({ hintsRevealed: 2 }), step)).toMatchObject({
      code: 'conflict',
      message: 'step "Find the node" has no more hints (2 of 2 shown)',
      fix: expect.stringContaining('solution'),
    });
  });
});

describe('SOLUTION', () => {
  it('is asked for once, and seen when the step shows it', () => {
    expect(SOLUTION.refuse).toBeUndefined();
    expect(SOLUTION.ask(outcome())).toBe(true);
    expect(SOLUTION.ask(outcome({ solutionRevealed: true }))).toBe(false);
    expect(SOLUTION.revealed(outcome({ solutionRevealed: true }), outcome())).toBe(true);
    expect(SOLUTION.revealed(undefined, outcome())).toBe(false);
  });
});
