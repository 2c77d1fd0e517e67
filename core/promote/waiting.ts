// Waiting on AWS: the SDK's waiters (EKS cluster, node group, add-on states) with a progress line
// while they poll, failures turned into errors that say what was awaited, and a plain poll loop
// for the things that have no waiter. Every wait obeys the task's cancel.
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { TaskReporter } from '../tasks/task.ts';
import { sleep } from '../tasks/wait.ts';

/** What an SDK `waitUntil…` resolves to (it throws on anything but success). */
interface WaiterOutcome {
  state: string;
  reason?: unknown;
}

export interface WaitLimits {
  /** Longest wait in seconds. */
  maxWaitTime: number;
  minDelay?: number;
  maxDelay?: number;
}

// Runs an SDK waiter (`waitUntil…`), reporting elapsed time every 10 s while it polls.
export const waitFor = async (
  what: string,
  task: TaskReporter,
  limits: WaitLimits,
  run: (config: {
    maxWaitTime: number;
    minDelay: number;
    maxDelay: number;
    abortSignal: AbortSignal;
  }) => Promise<WaiterOutcome>,
): Promise<void> => {
  const started = Date.now();
  const ticker = setInterval(
    () => task.progress(0.5, `waiting for ${what} (${Math.round((Date.now() - started) / 1000)} s)`),
    10_000,
  );
  try {
    const result = await run({
      maxWaitTime: limits.maxWaitTime,
      minDelay: limits.minDelay ?? 10,
      maxDelay: limits.maxDelay ?? 30,
      abortSignal: task.signal,
    });
    if (result.state !== 'SUCCESS') throw result;
  } catch (error) {
    if (task.signal.aborted)
      throw new KartStreamError('canceled', `canceled while waiting for ${what}`, { cause: error });
    const state = (error as { state?: string }).state;
    const reason = (error as { reason?: unknown }).reason;
    const text = reason ? JSON.stringify(reason).slice(0, 400) : error instanceof Error ? error.message : '';
    throw new KartStreamError(
      state === 'TIMEOUT' ? 'timeout' : 'cluster-failed',
      state === 'TIMEOUT'
        ? `gave up waiting for ${what} after ${limits.maxWaitTime} s`
        : `failed waiting for ${what}${state ? ` (${state})` : ''}`,
      { cause: error, details: text ? [text] : [] },
    );
  } finally {
    clearInterval(ticker);
  }
  task.log(`${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
};

/** Seconds between polls of the plain loops; KARTSTREAM_AWS_POLL_SECONDS overrides (tests, benches). */
export const pollSeconds = (): number => {
  const value = Number(process.env.KARTSTREAM_AWS_POLL_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : 10;
};

// Calls `check` until it returns a value (not undefined), or gives up after `maxSeconds`.
export const pollUntil = async <T>(
  what: string,
  task: TaskReporter,
  maxSeconds: number,
  check: (elapsedSeconds: number) => Promise<T | undefined>,
): Promise<T> => {
  const started = Date.now();
  for (;;) {
    const elapsed = (Date.now() - started) / 1000;
    const value = await check(elapsed);
    if (value !== undefined) return value;
    if (elapsed > maxSeconds)
      throw new KartStreamError('timeout', `gave up waiting for ${what} after ${maxSeconds} s`);
    await sleep(pollSeconds() * 1000, task.signal);
  }
};
