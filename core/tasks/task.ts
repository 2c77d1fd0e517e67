// Long work runs as a task: a title, steps, progress, a cancel, and a full log kept on disk,
// also (especially) when it fails. The CLI and the server render the same events.
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tasksDir } from '../home/paths.ts';
import { writeFailure } from '../home/write-failure.ts';
import { ensurePrivateDir, writePrivateJson } from '../home/private-files.ts';
import { describeError, isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';

export type StepState = 'running' | 'done' | 'failed' | 'canceled';

export interface TaskStep {
  title: string;
  state: StepState;
  startedAt: string;
  endedAt?: string;
}

export type TaskEvent =
  | { type: 'step'; index: number; title: string }
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'log'; line: string }
  | { type: 'end'; state: 'done' | 'failed' | 'canceled'; error?: string };

/** What a piece of long work is handed: report steps, progress and log lines; obey the signal. */
export interface TaskReporter {
  step(title: string): void;
  progress(fraction: number, message?: string): void;
  log(line: string): void;
  readonly signal: AbortSignal;
  readonly logPath: string;
}

export interface TaskRecord {
  id: string;
  title: string;
  state: 'running' | 'done' | 'failed' | 'canceled';
  steps: TaskStep[];
  startedAt: string;
  endedAt?: string;
  error?: string;
  logPath: string;
}

export interface RunTaskOptions {
  onEvent?: (event: TaskEvent) => void;
  signal?: AbortSignal;
  /** The task's id, when the caller must know it (and its log path) before the task starts. */
  id?: string;
}

const now = () => new Date().toISOString();
const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

/** A fresh task id: sortable by time, readable, unique. */
export const newTaskId = (title: string): string =>
  `${now().replace(/[:.]/g, '-')}-${slug(title)}-${randomBytes(3).toString('hex')}`;

/** Where a task keeps its record (`task.json`) and its log. */
export const taskPaths = (id: string): { dir: string; recordPath: string; logPath: string } => {
  const dir = join(tasksDir(), id);
  return { dir, recordPath: join(dir, 'task.json'), logPath: join(dir, 'log.txt') };
};

// Runs `work` as a task; the log and the record stay under <state>/tasks/<id>/ whatever happens.
export const runTask = async <T>(
  title: string,
  work: (task: TaskReporter) => Promise<T>,
  options: RunTaskOptions = {},
): Promise<T> => {
  const id = options.id ?? newTaskId(title);
  const { dir, recordPath, logPath } = taskPaths(id);
  // A task whose log cannot even be started (a full disk) does not run: its error says why.
  try {
    await ensurePrivateDir(dir);
    appendFileSync(logPath, `${now()} task: ${title}\n`, { mode: 0o600 });
  } catch (cause) {
    throw writeFailure(logPath, `the log of task "${title}"`, cause);
  }
  const record: TaskRecord = { id, title, state: 'running', steps: [], startedAt: now(), logPath };
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Canceled before it got here (e.g. while its folder was made): the work sees it at once.
  if (options.signal?.aborted) onAbort();
  const emit = (event: TaskEvent) => options.onEvent?.(event);
  // A log line that cannot be written (the disk filled up meanwhile) does not stop the work, and
  // never throws into a caller's stream handler; the events say so, once.
  let logFailed = false;
  const writeLog = (line: string) => {
    try {
      appendFileSync(logPath, `${now()} ${line}\n`, { mode: 0o600 });
    } catch (cause) {
      if (logFailed) return;
      logFailed = true;
      emit({ type: 'log', line: describeError(writeFailure(logPath, `the log of task "${title}"`, cause)) });
    }
  };
  // Saves run one after another, so the last state written is the last state reached. A record
  // that cannot be written does not stop the work, but the log and the events say so (once).
  let saving: Promise<void> = Promise.resolve();
  let saveFailed = false;
  const save = () =>
    (saving = saving
      .then(() => writePrivateJson(recordPath, record))
      .catch((cause: unknown) => {
        if (saveFailed) return;
        saveFailed = true;
        const text = describeError(writeFailure(recordPath, `the record of task "${title}"`, cause));
        writeLog(text);
        emit({ type: 'log', line: text });
      }));
  const closeStep = (state: StepState) => {
    const last = record.steps.at(-1);
    if (last && last.state === 'running') Object.assign(last, { state, endedAt: now() });
  };

  const reporter: TaskReporter = {
    signal: controller.signal,
    logPath,
    step: (stepTitle) => {
      closeStep('done');
      record.steps.push({ title: stepTitle, state: 'running', startedAt: now() });
      writeLog(`step ${record.steps.length}: ${stepTitle}`);
      void save();
      emit({ type: 'step', index: record.steps.length - 1, title: stepTitle });
    },
    progress: (fraction, message) => {
      if (message) writeLog(`progress ${Math.round(fraction * 100)}%: ${message}`);
      emit({ type: 'progress', fraction, message });
    },
    log: (line) => {
      writeLog(line);
      emit({ type: 'log', line });
    },
  };

  await save();
  try {
    const result = await work(reporter);
    closeStep('done');
    Object.assign(record, { state: 'done', endedAt: now() });
    writeLog('task done');
    emit({ type: 'end', state: 'done' });
    return result;
  } catch (cause) {
    const canceled = controller.signal.aborted;
    closeStep(canceled ? 'canceled' : 'failed');
    const error =
      canceled && !isKartStreamError(cause)
        ? new KartStreamError('canceled', `${title}: canceled`, { cause })
        : cause;
    const text = describeError(error);
    Object.assign(record, { state: canceled ? 'canceled' : 'failed', endedAt: now(), error: text });
    writeLog(`task ${record.state}: ${text}`);
    if (cause instanceof Error && cause.stack) writeLog(cause.stack);
    emit({ type: 'end', state: record.state as 'failed' | 'canceled', error: text });
    if (isKartStreamError(error)) error.logPath ??= logPath;
    throw error instanceof Error ? error : new KartStreamError('cluster-failed', text, { logPath });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await save();
  }
};
