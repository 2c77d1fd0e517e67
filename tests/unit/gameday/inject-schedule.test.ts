import { describe, expect, it } from 'vitest';
import { gamedaySchema } from '../../../core/gameday/gameday-schema.ts';
import {
  conditionReading,
  dueByOffset,
  gameElapsedMs,
  initialProgress,
  isArmed,
  timeBoxOver,
  upcomingInjects,
  type GameClock,
} from '../../../core/gameday/inject-schedule.ts';

const script = gamedaySchema.parse({
  id: 'two-faults',
  title: 'Two faults',
  briefing: 'Carts fail.',
  roles: ['operator'],
  timeBox: '10m',
  injects: [
    {
      id: 'first',
      title: 'cart down',
      at: '2m',
      do: [{ scaleDeployment: { name: 'cartservice', replicas: 0 } }],
    },
    {
      id: 'late',
      title: 'store down',
      at: '5m',
      do: [{ scaleDeployment: { name: 'redis-cart', replicas: 0 } }],
    },
    {
      id: 'during-repair',
      title: 'while repairing',
      after: 'first',
      when: [{ deploymentsServing: { names: ['cartservice'] } }],
      do: [{ healPods: {} }],
    },
  ],
  objectives: [{ deploymentsAvailable: { all: true } }],
});

const clock = (over: Partial<GameClock> = {}): GameClock => ({
  startedAt: 0,
  speed: 1,
  pausedMs: 0,
  extendedMs: 0,
  timeBoxMs: 600_000,
  ...over,
});

describe('the game clock', () => {
  it('runs speed times faster and stops while paused', () => {
    expect(gameElapsedMs(clock({ speed: 30 }), 2_000)).toBe(60_000);
    expect(gameElapsedMs(clock({ pausedAt: 10_000 }), 70_000)).toBe(10_000);
    expect(gameElapsedMs(clock({ pausedMs: 5_000 }), 65_000)).toBe(60_000);
  });

  it('ends the time box at its length plus what the facilitator added', () => {
    expect(timeBoxOver(clock(), 599_999)).toBe(false);
    expect(timeBoxOver(clock(), 600_000)).toBe(true);
    expect(timeBoxOver(clock({ extendedMs: 60_000 }), 600_000)).toBe(false);
  });
});

describe('injects by offset', () => {
  it('are due once the game time reaches their offset, and only once', () => {
    const progress = initialProgress(script);
    expect(dueByOffset(script, progress, 119_999).map((i) => i.id)).toEqual([]);
    expect(dueByOffset(script, progress, 120_000).map((i) => i.id)).toEqual(['first']);
    progress[0]!.landedAt = '2026-01-01T00:02:00Z';
    expect(dueByOffset(script, progress, 400_000).map((i) => i.id)).toEqual(['late']);
  });
});

describe('injects on a condition', () => {
  it('are watched only once the inject they follow has landed', () => {
    const progress = initialProgress(script);
    const inject = script.injects[2]!;
    expect(isArmed(inject, progress)).toBe(false);
    progress[0]!.landedAt = '2026-01-01T00:02:00Z';
    expect(isArmed(inject, progress)).toBe(true);
  });

  it('land when the condition comes to hold, not while it still holds from before', () => {
    const progress = initialProgress(script)[2]!;
    expect(conditionReading(progress, true)).toBe(false); // cartservice still serving as the fault lands
    expect(conditionReading(progress, false)).toBe(false); // the fault took hold
    expect(conditionReading(progress, true)).toBe(true); // the repair brought it back
  });
});

describe('what is coming, for the facilitator', () => {
  it('gives offsets as time left and conditions in words, armed or not', () => {
    const progress = initialProgress(script);
    expect(upcomingInjects(script, progress, 60_000)).toEqual([
      { id: 'first', title: 'cart down', inMs: 60_000 },
      { id: 'late', title: 'store down', inMs: 240_000 },
      {
        id: 'during-repair',
        title: 'while repairing',
        when: expect.stringContaining('cartservice'),
        armed: false,
        after: 'first',
      },
    ]);
    progress[0]!.landedAt = '2026-01-01T00:02:00Z';
    expect(upcomingInjects(script, progress, 130_000).map((u) => u.id)).toEqual(['late', 'during-repair']);
  });
});
