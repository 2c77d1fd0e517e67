// Waiting in engine code: one sleep that obeys a cancel signal, and one poll loop with a deadline.
// (Waits on cluster state use the watch store's waitFor, which wakes on changes, not on a timer.)
import { KartStreamError } from '../errors/kartstream-error.ts';

// Sleeps `ms`; when the signal aborts, wakes at once and throws a `canceled` KartStreamError.
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KartStreamError('canceled', 'canceled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new KartStreamError('canceled', 'canceled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface WaitUntilOptions {
  timeoutMs: number;
  /** Pause between checks (default 100 ms). */
  intervalMs?: number;
  signal?: AbortSignal;
}

// Checks `done` until it holds (resolves true) or `timeoutMs` has passed (resolves false);
// the caller decides whether running out of time is an error.
export const waitUntil = async (
  done: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 100, signal }: WaitUntilOptions,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())), signal);
  }
};
