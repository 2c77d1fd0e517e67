// A scenario run on disk, under <state>/runs/<run id>/: run.json (its state, rewritten
// atomically), timeline.jsonl (append-only), control.jsonl (requests from other CLI processes:
// hint, solution, abort). The lab points at its active run in <lab dir>/active-run.json, which
// run-claim.ts creates exclusively (one run per lab).
import { existsSync } from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { commandsFile, labDir, stateHome } from '../home/paths.ts';
import { ensurePrivateDir, writePrivateJson } from '../home/private-files.ts';
import { writeFailure } from '../home/write-failure.ts';
import { readRunClaim } from './run-claim.ts';
import type { CustomerImpact } from '../contract/impact-types.ts';

export type TimelineEvent = { at: string; type: string } & Record<string, unknown>;

/** A check result as recorded; `text` (the sentence) is missing in runs recorded before it existed. */
export interface RecordedCheck {
  check: string;
  text?: string;
  ok: boolean;
  detail: string;
}

export interface StepOutcome {
  id: string;
  title: string;
  state: 'pending' | 'running' | 'passed' | 'timed-out' | 'aborted';
  startedAt?: string;
  endedAt?: string;
  /** When the step's time box ends, set once its actions ran (UIs show the time left). */
  deadline?: string;
  hintsRevealed: number;
  solutionRevealed: boolean;
  checks: RecordedCheck[];
}

export interface RunState {
  id: string;
  scenario: string;
  /** The scenario file, so a later command can roll the run back. */
  scenarioFile: string;
  title: string;
  lab: string;
  pid: number;
  autoSolve: boolean;
  state: 'running' | 'passed' | 'failed' | 'aborted';
  startedAt: string;
  endedAt?: string;
  currentStep: number;
  steps: StepOutcome[];
  steadyStateBefore?: { ok: boolean; checks: RecordedCheck[] };
  steadyStateAfter?: { ok: boolean; checks: RecordedCheck[] };
  /** What shoppers felt during the run (set when it ends). */
  customerImpact?: CustomerImpact;
  score?: number;
  maxScore?: number;
  rolledBack?: boolean;
  /** Why the run did not pass, in words. */
  reason?: string;
}

export type ControlRequest = { type: 'hint' | 'solution' | 'abort'; at: string };

export const runsDir = (): string => join(stateHome(), 'runs');
export const runDir = (id: string): string => join(runsDir(), id);
const activeFile = (lab: string) => join(labDir(lab), 'active-run.json');

export const newRunId = (scenario: string): string =>
  `${new Date().toISOString().replace(/[:.]/g, '-')}-${scenario}-${randomBytes(2).toString('hex')}`;

export const writeRunState = async (state: RunState): Promise<void> => {
  const file = join(runDir(state.id), 'run.json');
  try {
    await ensurePrivateDir(runDir(state.id));
    await writePrivateJson(file, state);
  } catch (error) {
    throw writeFailure(file, `the state of scenario run ${state.id}`, error);
  }
};

export const readRunState = async (id: string): Promise<RunState | undefined> => {
  const file = join(runDir(id), 'run.json');
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as RunState) : undefined;
};

export const appendTimeline = async (
  id: string,
  event: Omit<TimelineEvent, 'at'> & { at?: string },
): Promise<void> => {
  const file = join(runDir(id), 'timeline.jsonl');
  try {
    await appendFile(file, `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`, { mode: 0o600 });
  } catch (error) {
    throw writeFailure(file, `the timeline of scenario run ${id}`, error);
  }
};

const readJsonLines = async <T>(file: string): Promise<T[]> =>
  existsSync(file)
    ? (await readFile(file, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T)
    : [];

export const readTimeline = (id: string): Promise<TimelineEvent[]> =>
  readJsonLines(join(runDir(id), 'timeline.jsonl'));

export const controlFile = (id: string): string => join(runDir(id), 'control.jsonl');
export const readControl = (id: string): Promise<ControlRequest[]> => readJsonLines(controlFile(id));
export const requestControl = (id: string, type: ControlRequest['type']): Promise<void> =>
  appendFile(controlFile(id), `${JSON.stringify({ type, at: new Date().toISOString() })}\n`, { mode: 0o600 });

export const clearActiveRun = (lab: string): Promise<void> => rm(activeFile(lab), { force: true });
// Read, not checked then read: the run's end removes the file at any moment (a server watching a
// CLI's run once read it between the two and failed with ENOENT).
export const activeRunId = async (lab: string): Promise<string | undefined> => (await readRunClaim(lab))?.id;

/** Commands typed in the lab shell (and run by --auto-solve), one JSON object per line. */
export const recordCommand = (lab: string, command: string, source: 'shell' | 'auto-solve'): Promise<void> =>
  appendFile(commandsFile(lab), `${JSON.stringify({ at: new Date().toISOString(), command, source })}\n`, {
    mode: 0o600,
  });
export const readCommands = (lab: string): Promise<{ at: string; command: string; source: string }[]> =>
  readJsonLines(commandsFile(lab));
