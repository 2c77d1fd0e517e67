// Scenario runs as the server reads them from disk (runs of the CLI and of this server alike):
// the runs of a lab, newest first, the scenario document each one ran, and a wait for the next
// change of a lab's runs (in-process updates, or the run files changing under another process).
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { labDir } from '../../home/paths.ts';
import { loadScenarioFile } from '../../scenarios/load-scenario.ts';
import { readRunState, runDir, runsDir, type RunState } from '../../scenarios/run-files.ts';
import type { Scenario } from '../../scenarios/scenario-types.ts';

const RUN_ID = /^[A-Za-z0-9][\w.-]*$/;

/** A run id as given by a client: a plain directory name under the runs folder, nothing else. */
export const checkRunId = (id: string): string => {
  if (RUN_ID.test(id)) return id;
  throw new KartStreamError('invalid-input', `invalid run id ${JSON.stringify(id)}`, {
    fix: 'use a run id from the list of runs',
  });
};

export class RunStore {
  /** Run id -> lab: a run never changes lab, so each run.json is read once for this. */
  private readonly labOfRun = new Map<string, string>();
  private readonly scenarios = new Map<string, { mtimeMs: number; scenario: Scenario }>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  /** Tells waiters of `lab` that one of its runs changed (in-process runs call this). */
  notify(lab: string): void {
    this.events.emit(lab);
  }

  // The run ids under the runs folder, newest first (ids start with their start time).
  private async runIds(): Promise<string[]> {
    const dir = runsDir();
    if (!existsSync(dir)) return [];
    return (await readdir(dir)).filter((id) => RUN_ID.test(id)).sort((a, b) => b.localeCompare(a));
  }

  private async labOf(id: string): Promise<string | undefined> {
    const known = this.labOfRun.get(id);
    if (known) return known;
    const state = await readRunState(id).catch(() => undefined);
    if (state) this.labOfRun.set(id, state.lab);
    return state?.lab;
  }

  /** Ids of the lab's runs, newest first, at most `limit`. */
  async runIdsOf(lab: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const ids: string[] = [];
    for (const id of await this.runIds()) {
      if (ids.length >= limit) break;
      if ((await this.labOf(id)) === lab) ids.push(id);
    }
    return ids;
  }

  /** The scenario a run ran, from its file; undefined when the file is gone or broken. */
  async scenarioOf(state: RunState): Promise<Scenario | undefined> {
    const file = state.scenarioFile;
    const mtimeMs = await stat(file).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
    if (mtimeMs === undefined) return undefined;
    const cached = this.scenarios.get(file);
    if (cached?.mtimeMs === mtimeMs) return cached.scenario;
    const scenario = await loadScenarioFile(file).then(
      (l) => l.scenario,
      () => undefined,
    );
    if (scenario) this.scenarios.set(file, { mtimeMs, scenario });
    return scenario;
  }

  /** Follows the changes of a lab's runs until closed (see RunChanges). */
  changes(lab: string): RunChanges {
    return new RunChanges(lab, this.events);
  }
}

/**
 * The changes of a lab's runs: an in-process notify, a file written in the lab's folder
 * (active-run.json), a new run folder, or a write in the followed run's folder. A change that
 * comes while nobody waits is kept, so `next()` never misses one.
 */
export class RunChanges {
  private readonly watchers: FSWatcher[] = [];
  private runWatcher: FSWatcher | undefined;
  private runId: string | undefined;
  private dirty = false;
  private wake: (() => void) | undefined;
  private readonly onChange = () => {
    this.dirty = true;
    this.wake?.();
  };

  constructor(
    private readonly lab: string,
    private readonly events: EventEmitter,
  ) {
    events.on(lab, this.onChange);
    for (const dir of [labDir(lab), runsDir()]) {
      const watcher = watchDir(dir, this.onChange);
      if (watcher) this.watchers.push(watcher);
    }
  }

  /** Also follow this run's folder (no-op when it is already followed). */
  follow(runId: string | undefined): void {
    if (runId === this.runId) return;
    this.runWatcher?.close();
    this.runId = runId;
    this.runWatcher = runId ? watchDir(runDir(runId), this.onChange) : undefined;
    // Something may have been written before the watcher was in place: look once more.
    this.dirty = true;
  }

  /** Resolves true on the next change (or at once if one came), false on timeout or abort. */
  async next(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.dirty) {
      this.dirty = false;
      return true;
    }
    if (signal?.aborted) return false;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: () => void = () => undefined;
    const changed = await new Promise<boolean>((resolve) => {
      this.wake = () => resolve(true);
      onAbort = () => resolve(false);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.wake = undefined;
    this.dirty = false;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    return changed;
  }

  close(): void {
    this.events.off(this.lab, this.onChange);
    for (const w of this.watchers) w.close();
    this.runWatcher?.close();
    this.wake?.();
  }
}

// Watches a folder, or returns undefined when it does not exist (yet): the other sources still
// report changes.
const watchDir = (dir: string, onChange: () => void): FSWatcher | undefined => {
  try {
    return watch(dir, onChange).on('error', () => undefined);
  } catch {
    return undefined;
  }
};
