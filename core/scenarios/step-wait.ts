// Waits for a set of checks to hold, re-evaluating whenever something that could change them
// changes: the watch store, the lab's command record, the run's control file (hint, solution,
// abort). Checks that read Prometheus are also re-read every few seconds, as Prometheus cannot
// push. Nothing sleeps on a fixed schedule to find out about the cluster.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { sleep } from '../tasks/wait.ts';
import type { ScenarioContext } from './scenario-context.ts';
import { commandsFile } from '../home/paths.ts';
import { controlFile, readControl, type ControlRequest } from './run-files.ts';
import { evaluateChecks, POLLED_CHECKS, type CheckResult } from './scenario-checks.ts';
import { checkName, type Check } from './scenario-types.ts';

const MONITORING_TICK_MS = 3_000;

export interface WaitOutcome {
  outcome: 'passed' | 'timed-out' | 'aborted';
  results: CheckResult[];
}

export interface WaitOptions {
  since: Date;
  deadline: number;
  /** Called with each evaluation (for live progress). */
  onResults?: (results: CheckResult[]) => void;
  /** Called for each new hint/solution request; abort ends the wait. */
  onControl?: (request: ControlRequest) => Promise<void>;
  /** Control requests before this index are old; default: all those already there. */
  controlFrom?: number;
  signal?: AbortSignal;
}

export const waitForChecks = async (
  ctx: ScenarioContext,
  checks: readonly Check[],
  options: WaitOptions,
): Promise<WaitOutcome> => {
  let wake: () => void = () => undefined;
  const woken = () => new Promise<void>((resolve) => (wake = resolve));
  const unsubscribe = ctx.store.onChange(() => wake());
  options.signal?.addEventListener('abort', () => wake(), { once: true });
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(commandsFile(ctx.lab.name)), dirname(controlFile(ctx.runId))])) {
    try {
      watchers.push(watch(dir, () => wake()));
    } catch {
      // the directory may not exist yet; the store and the tick still wake us
    }
  }
  const needsTick = checks.some((c) => POLLED_CHECKS.has(checkName(c)));
  let handled = options.controlFrom ?? (await readControl(ctx.runId)).length;
  let results: CheckResult[] = [];
  try {
    for (;;) {
      if (options.signal?.aborted) return { outcome: 'aborted', results };
      const requests = await readControl(ctx.runId);
      for (const request of requests.slice(handled)) {
        handled += 1;
        if (request.type === 'abort') return { outcome: 'aborted', results };
        await options.onControl?.(request);
      }
      const next = woken();
      results = await evaluateChecks(ctx, checks, options.since);
      options.onResults?.(results);
      if (results.every((r) => r.ok)) return { outcome: 'passed', results };
      const left = options.deadline - Date.now();
      if (left <= 0) return { outcome: 'timed-out', results };
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        next,
        new Promise((r) => (timer = setTimeout(r, needsTick ? Math.min(MONITORING_TICK_MS, left) : left))),
      ]);
      clearTimeout(timer);
      // Let a burst of changes settle into one evaluation.
      await sleep(100);
    }
  } finally {
    unsubscribe();
    for (const w of watchers) w.close();
  }
};
