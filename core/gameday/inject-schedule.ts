// When injects land, as pure logic over a game clock: an `at` inject lands once the game time
// reaches its offset; a `when` inject once its checks come to hold (seen failing, then holding)
// after it was armed: at the start, or once its `after` inject landed. The clock stops while the
// game day is paused, and runs `speed` times faster than the wall clock (rehearsals and tests).
import { durationMs } from '../scenarios/scenario-types.ts';
import { checkText } from '../scenarios/check-text.ts';
import type { UpcomingInject } from '../contract/gameday-types.ts';
import type { GamedayDocument, Inject } from './gameday-schema.ts';

export interface GameClock {
  startedAt: number;
  speed: number;
  /** Wall-clock ms spent paused, not counting a pause still going on. */
  pausedMs: number;
  pausedAt?: number;
  /** Game ms the facilitator added to the time box. */
  extendedMs: number;
  timeBoxMs: number;
}

/** Game time elapsed at wall time `now`, in ms. */
export const gameElapsedMs = (clock: GameClock, now: number): number => {
  const paused = clock.pausedMs + (clock.pausedAt !== undefined ? now - clock.pausedAt : 0);
  return Math.max(0, (now - clock.startedAt - paused) * clock.speed);
};

export const timeBoxOver = (clock: GameClock, now: number): boolean =>
  gameElapsedMs(clock, now) >= clock.timeBoxMs + clock.extendedMs;

/** Where one inject stands. */
export interface InjectProgress {
  id: string;
  title: string;
  landedAt?: string;
  /** How it landed: on schedule, its condition, or the facilitator's "inject now". */
  landedBy?: 'schedule' | 'condition' | 'facilitator';
  /** For `when`: the condition was seen not holding since the inject was armed. */
  seenNotHolding?: boolean;
}

export const initialProgress = (g: GamedayDocument): InjectProgress[] =>
  g.injects.map((i) => ({ id: i.id, title: i.title }));

const landed = (progress: readonly InjectProgress[], id: string) =>
  progress.some((p) => p.id === id && p.landedAt !== undefined);

/** A `when` inject whose condition is being watched now. */
export const isArmed = (inject: Inject, progress: readonly InjectProgress[]): boolean =>
  inject.when !== undefined &&
  !landed(progress, inject.id) &&
  (inject.after === undefined || landed(progress, inject.after));

/** The `at` injects due at game time `elapsedMs` that have not landed. */
export const dueByOffset = (
  g: GamedayDocument,
  progress: readonly InjectProgress[],
  elapsedMs: number,
): Inject[] =>
  g.injects.filter((i) => i.at !== undefined && !landed(progress, i.id) && durationMs(i.at) <= elapsedMs);

/**
 * Feeds one reading of an armed inject's condition into its progress; true when the inject is
 * due (its condition came to hold). A condition already holding when armed waits for a change.
 */
export const conditionReading = (progress: InjectProgress, holds: boolean): boolean => {
  if (!holds) {
    progress.seenNotHolding = true;
    return false;
  }
  return progress.seenNotHolding === true;
};

export const upcomingInjects = (
  g: GamedayDocument,
  progress: readonly InjectProgress[],
  elapsedMs: number,
): UpcomingInject[] =>
  g.injects
    .filter((i) => !landed(progress, i.id))
    .map((i) =>
      i.at !== undefined
        ? { id: i.id, title: i.title, inMs: Math.max(0, durationMs(i.at) - elapsedMs) }
        : {
            id: i.id,
            title: i.title,
            when: (i.when ?? []).map(checkText).join(' and '),
            armed: isArmed(i, progress),
            ...(i.after ? { after: i.after } : {}),
          },
    );
