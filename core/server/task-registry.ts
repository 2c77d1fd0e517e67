// The tasks the core server started: each runs through `runTask` (steps, progress, a log kept on
// disk whatever happens); the registry keeps their summaries for this server run and fans their
// events out to every watcher. A task's log stays readable after it failed.
import { readFileSync } from 'node:fs';
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import { newTaskId, runTask, taskPaths, type TaskEvent, type TaskReporter } from '../tasks/task.ts';
import type { TaskDetail, TaskState, TaskSummary, TaskUpdate, WireError } from '../contract/wire-types.ts';

type EndState = Exclude<TaskState, 'running'>;

interface Entry {
  summary: TaskSummary;
  controller: AbortController;
  listeners: Set<(update: TaskUpdate) => void>;
  done: Promise<unknown>;
}

/** Finished tasks kept in memory; older ones leave the list (their logs stay on disk). */
const MAX_FINISHED = 200;
/** Lines of a log sent in a snapshot; a longer log is cut at the front (the file has it all). */
const MAX_LOG_LINES = 5000;
/** How long `cancelAll` waits for canceled work to wind down. */
const CANCEL_WAIT_MS = 30_000;

const now = () => new Date().toISOString();

/** An engine error as the renderer shows it (same fields the router puts in `error.data.wire`). */
export const toWireError = (error: unknown, logPath?: string): WireError => {
  if (isKartStreamError(error))
    return {
      code: error.code,
      message: error.message,
      details: [...error.details],
      ...(error.fix ? { fix: error.fix } : {}),
      ...((error.logPath ?? logPath) ? { logPath: error.logPath ?? logPath } : {}),
    };
  return {
    code: 'failed',
    message: error instanceof Error ? error.message : String(error),
    details: [],
    ...(logPath ? { logPath } : {}),
  };
};

// The log as written so far; none yet when the task has not opened its file.
const readLog = (logPath: string): string[] => {
  let text: string;
  try {
    text = readFileSync(logPath, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length <= MAX_LOG_LINES) return lines;
  return [
    `(${lines.length - MAX_LOG_LINES} earlier lines are in ${logPath})`,
    ...lines.slice(-MAX_LOG_LINES),
  ];
};

// Resolves on the next `wake()` or when the signal aborts.
const nextWake = (signal: AbortSignal, setWake: (wake: (() => void) | undefined) => void): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      setWake(undefined);
      resolve();
    };
    setWake(done);
    signal.addEventListener('abort', done, { once: true });
  });

export class TaskRegistry {
  private readonly entries = new Map<string, Entry>();

  /** Runs `work` as a task (steps, progress, log kept on disk, also on failure); returns at once. */
  start<T>(
    title: string,
    meta: { kind: TaskSummary['kind']; lab?: string },
    work: (task: TaskReporter) => Promise<T>,
  ): { taskId: string; done: Promise<T> } {
    const id = newTaskId(title);
    const controller = new AbortController();
    const summary: TaskSummary = {
      id,
      title,
      state: 'running',
      startedAt: now(),
      steps: [],
      progress: 0,
      logPath: taskPaths(id).logPath,
      kind: meta.kind,
      ...(meta.lab ? { lab: meta.lab } : {}),
    };
    const entry: Entry = { summary, controller, listeners: new Set(), done: Promise.resolve() };
    this.entries.set(id, entry);
    let endState: EndState = 'failed';
    const onEvent = (event: TaskEvent) => {
      // The end goes out once the outcome is known, with the typed error rather than its text.
      if (event.type === 'end') endState = event.state;
      else this.apply(entry, event);
    };
    const done = runTask(title, work, { id, signal: controller.signal, onEvent });
    entry.done = done;
    done.then(
      () => this.finish(entry, 'done'),
      (error: unknown) => this.finish(entry, endState, toWireError(error, summary.logPath)),
    );
    this.trim();
    return { taskId: id, done };
  }

  /** Newest first: running and finished tasks of this server run. */
  list(): TaskSummary[] {
    return [...this.entries.values()]
      .map((e) => structuredClone(e.summary))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(id: string): TaskDetail {
    return this.detail(this.entry(id));
  }

  cancel(id: string): void {
    const entry = this.entry(id);
    if (entry.summary.state !== 'running')
      throw new KartStreamError(
        'conflict',
        `task "${entry.summary.title}" (${id}) already ended (${entry.summary.state}); there is nothing to cancel`,
        { logPath: entry.summary.logPath },
      );
    entry.controller.abort(new Error('canceled by the user'));
  }

  /** The task as it is, then each change; ends after `end` (at once for a finished task). */
  async *watch(id: string, signal: AbortSignal): AsyncIterable<TaskUpdate> {
    const entry = this.entry(id);
    const queue: TaskUpdate[] = [];
    let wake: (() => void) | undefined;
    const listener = (update: TaskUpdate) => {
      queue.push(update);
      wake?.();
    };
    // Subscribing and taking the snapshot in the same tick: no event lost, none twice.
    entry.listeners.add(listener);
    try {
      const snapshot = this.detail(entry);
      yield { type: 'snapshot', task: snapshot };
      if (snapshot.state !== 'running') {
        yield { type: 'end', state: snapshot.state, ...(snapshot.error ? { error: snapshot.error } : {}) };
        return;
      }
      while (!signal.aborted) {
        if (queue.length === 0) await nextWake(signal, (w) => (wake = w));
        while (queue.length > 0) {
          const update = queue.shift() as TaskUpdate;
          yield update;
          if (update.type === 'end') return;
        }
      }
    } finally {
      entry.listeners.delete(listener);
    }
  }

  /** Cancels every running task and waits (a while) for them to wind down: server shutdown. */
  async cancelAll(): Promise<void> {
    const running = [...this.entries.values()].filter((e) => e.summary.state === 'running');
    for (const entry of running) entry.controller.abort(new Error('the server is shutting down'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(running.map((e) => e.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry)
      throw new KartStreamError('not-found', `no task "${id}" in this server run`, {
        fix: 'pick a task from the task list; logs of earlier runs stay in the tasks folder of the KartStream data dir',
      });
    return entry;
  }

  private detail(entry: Entry): TaskDetail {
    return { ...structuredClone(entry.summary), log: readLog(entry.summary.logPath) };
  }

  private apply(entry: Entry, event: Exclude<TaskEvent, { type: 'end' }>): void {
    const { summary } = entry;
    if (event.type === 'step') {
      this.closeStep(summary, 'done');
      summary.steps.push({ title: event.title, state: 'running', startedAt: now() });
    } else if (event.type === 'progress') {
      summary.progress = Math.max(0, Math.min(1, event.fraction));
      summary.progressMessage = event.message;
    }
    this.publish(entry, event);
  }

  private finish(entry: Entry, state: EndState, error?: WireError): void {
    const { summary } = entry;
    this.closeStep(summary, state);
    summary.state = state;
    summary.endedAt = now();
    if (state === 'done') summary.progress = 1;
    if (error) summary.error = error;
    this.publish(entry, { type: 'end', state, ...(error ? { error } : {}) });
  }

  private closeStep(summary: TaskSummary, state: TaskState): void {
    const last = summary.steps.at(-1);
    if (last?.state === 'running') Object.assign(last, { state, endedAt: now() });
  }

  private publish(entry: Entry, update: TaskUpdate): void {
    for (const listener of entry.listeners) listener(update);
  }

  // Keeps memory bounded on a long-running server: the oldest finished tasks go first.
  private trim(): void {
    const finished = [...this.entries.values()]
      .filter((e) => e.summary.state !== 'running')
      .sort((a, b) => a.summary.startedAt.localeCompare(b.summary.startedAt));
    for (const entry of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED)))
      this.entries.delete(entry.summary.id);
  }
}
