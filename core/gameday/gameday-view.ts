// What one person sees of a game day: responders get the briefing, the clock and the hints
// revealed so far; the facilitator also sees the injects, landed and coming. Once it has ended,
// everyone sees the injects.
import type { GamedayDocument } from './gameday-schema.ts';
import type { GamedayView } from '../contract/gameday-types.ts';
import type { GamedayState } from './gameday-files.ts';
import { gameElapsedMs, upcomingInjects } from './inject-schedule.ts';

export const gamedayView = (
  state: GamedayState,
  script: GamedayDocument,
  facilitator: boolean,
  now = Date.now(),
): GamedayView => {
  const end = state.endedAt ? Date.parse(state.endedAt) : now;
  const elapsed = gameElapsedMs(state.clock, end);
  const ended = state.state === 'ended';
  return {
    run: state.id,
    gameday: state.gameday,
    title: state.title,
    lab: state.lab,
    state: state.state,
    startedAt: state.startedAt,
    ...(state.endedAt ? { endedAt: state.endedAt } : {}),
    ...(state.endReason ? { endReason: state.endReason } : {}),
    briefing: script.briefing,
    roles: script.roles,
    speed: state.clock.speed,
    elapsedSeconds: Math.round(elapsed / 1000),
    remainingSeconds: Math.max(
      0,
      Math.round((state.clock.timeBoxMs + state.clock.extendedMs - elapsed) / 1000),
    ),
    hints: script.hints.slice(0, state.hintsRevealed),
    hintsLeft: script.hints.length - state.hintsRevealed,
    ...(state.steadyStateBefore ? { steadyStateBefore: state.steadyStateBefore } : {}),
    ...(state.steadyStateAfter ? { steadyStateAfter: state.steadyStateAfter } : {}),
    ...(ended && state.objectives ? { objectives: state.objectives } : {}),
    ...(state.rolledBack !== undefined ? { rolledBack: state.rolledBack } : {}),
    ...(facilitator || ended
      ? {
          injects: state.injects.map(({ id, title, landedAt, landedBy }) => ({
            id,
            title,
            landedAt,
            landedBy,
          })),
        }
      : {}),
    ...(facilitator && !ended ? { upcoming: upcomingInjects(script, state.injects, elapsed) } : {}),
  };
};
