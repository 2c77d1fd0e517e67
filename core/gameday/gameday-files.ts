// A lab's game day on disk: its state (what the runner writes, every command reads) and its
// control requests (pause, resume, inject now, extend, hint, end: what the facilitator asks, from
// the CLI or the app, the runner reads). Both under <lab dir>/gameday/.
import { appendFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { labDir } from '../home/paths.ts';
import { ensurePrivateDir, writePrivateJson } from '../home/private-files.ts';
import type { CustomerImpact } from '../contract/impact-types.ts';
export type { ChecksOutcome } from '../contract/gameday-types.ts';
import type { ChecksOutcome } from '../contract/gameday-types.ts';
import type { GameClock, InjectProgress } from './inject-schedule.ts';

export interface GamedayState {
  id: string;
  gameday: string;
  title: string;
  file: string;
  lab: string;
  pid: number;
  state: 'running' | 'paused' | 'ended';
  startedAt: string;
  clock: GameClock;
  injects: InjectProgress[];
  hintsRevealed: number;
  endedAt?: string;
  endReason?: string;
  steadyStateBefore?: ChecksOutcome;
  steadyStateAfter?: ChecksOutcome;
  /** The objectives as the team left them, before the rollback. */
  objectives?: ChecksOutcome;
  rolledBack?: boolean;
  customerImpact?: CustomerImpact;
}

export type GamedayControl =
  | { type: 'pause' | 'resume' | 'end'; by: string; at: string }
  | { type: 'inject'; inject: string; by: string; at: string }
  | { type: 'extend'; minutes: number; by: string; at: string }
  | { type: 'hint'; by: string; at: string };

export type NewGamedayControl = GamedayControl extends infer C
  ? C extends unknown
    ? Omit<C, 'at'>
    : never
  : never;

export const gamedayDir = (lab: string): string => join(labDir(lab), 'gameday');
const stateFile = (lab: string) => join(gamedayDir(lab), 'state.json');
const controlFile = (lab: string) => join(gamedayDir(lab), 'control.jsonl');
export const postmortemFile = (lab: string): string => join(gamedayDir(lab), 'postmortem.json');

export const writeGamedayState = async (state: GamedayState): Promise<void> => {
  await ensurePrivateDir(gamedayDir(state.lab));
  await writePrivateJson(stateFile(state.lab), state);
};

/** The lab's current or latest game day. */
export const readGamedayState = async (lab: string): Promise<GamedayState | undefined> =>
  existsSync(stateFile(lab))
    ? (JSON.parse(await readFile(stateFile(lab), 'utf8')) as GamedayState)
    : undefined;

export const requestGameday = async (lab: string, request: NewGamedayControl): Promise<void> => {
  await ensurePrivateDir(gamedayDir(lab));
  await appendFile(controlFile(lab), `${JSON.stringify({ ...request, at: new Date().toISOString() })}\n`, {
    mode: 0o600,
  });
};

export const readGamedayControl = async (lab: string): Promise<GamedayControl[]> =>
  existsSync(controlFile(lab))
    ? (await readFile(controlFile(lab), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as GamedayControl)
    : [];

/**
 * The error of a scenario command (the app's or the CLI's) that finds no scenario on a lab. A
 * lab that runs a game day instead says so: its injects are not a scenario, so `scenario
 * status|abort|hint` cannot reach them. `recoveredRun`: a run found dead and rolled back just now.
 */
export const noScenarioRunning = async (
  lab: string,
  fix: string,
  recoveredRun?: string,
): Promise<KartStreamError> => {
  const state = await readGamedayState(lab).catch(() => undefined);
  const gameday = state && state.state !== 'ended' ? state : undefined;
  return new KartStreamError('not-found', `no scenario is running on lab ${lab}`, {
    details: [
      ...(recoveredRun ? [`run ${recoveredRun} had stopped; it was rolled back`] : []),
      ...(gameday
        ? [
            `a game day is ${gameday.state} on lab ${lab}: "${gameday.title}" (its injects are not a scenario)`,
          ]
        : []),
    ],
    fix: gameday
      ? `see it with npx kartstream gameday status --name ${lab}; end it with npx kartstream gameday end --name ${lab}`
      : fix,
  });
};
