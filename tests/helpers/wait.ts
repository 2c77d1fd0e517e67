// The one way tests wait: re-read what they wait for until it holds, within a bound, and fail
// naming what was awaited and the last value seen. No test sleeps a fixed time and then checks;
// a test that follows events (a stream, a socket) passes a `wakeup` so each event re-reads at once.
import { setTimeout as delay } from 'node:timers/promises';

/** Lets events cut a wait's pause short: call `wake()` wherever what a probe reads may change. */
export interface Wakeup {
  wake(): void;
  /** How many times `wake()` was called; a wait compares it across its probe. */
  readonly count: number;
  /** Resolves after `ms`, or at once on the next `wake()`, or at once if `count` is no longer `seen`. */
  nap(ms: number, seen: number): Promise<void>;
}

export const wakeup = (): Wakeup => {
  const sleepers = new Set<() => void>();
  let count = 0;
  return {
    wake: () => {
      count += 1;
      for (const sleeper of [...sleepers]) sleeper();
    },
    get count() {
      return count;
    },
    nap: (ms, seen) =>
      count !== seen
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              sleepers.delete(done);
              resolve();
            };
            const timer = setTimeout(done, ms);
            sleepers.add(done);
          }),
  };
};

export interface WaitOptions {
  /** Pause between two probes (default 500 ms); the last pause is cut to end at the deadline. */
  intervalMs?: number;
  /** Re-probe at once when this is woken (an event arrived), instead of after the full pause. */
  wakeup?: Wakeup;
}

/** `until` for probes that return the thing awaited, or undefined/null/false while it is not there. */
export const present = <T>(value: T): value is Exclude<T, undefined | null | false> =>
  value !== undefined && value !== null && value !== false;

const MAX_SHOWN = 2000;

// The last value seen, readable in a failure message (Maps and Sets shown by their entries).
const shown = (value: unknown): string => {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return JSON.stringify(value.length > MAX_SHOWN ? `…${value.slice(-MAX_SHOWN)}` : value);
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v,
    );
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
};

const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);

/**
 * Calls `probe` until `until` holds for what it returned, and returns that value. A probe that
 * throws counts as "not yet". After `timeoutMs` it fails with `what`, the last value seen and the
 * last error the probe threw.
 */
export async function waitFor<T, U extends T>(
  what: string,
  probe: () => T | Promise<T>,
  until: (value: T) => value is U,
  timeoutMs: number,
  options?: WaitOptions,
): Promise<U>;
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  until: (value: T) => boolean,
  timeoutMs: number,
  options?: WaitOptions,
): Promise<T>;
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  until: (value: T) => boolean,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<T> {
  const { intervalMs = 500, wakeup: events } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | undefined;
  let lastError: unknown;
  for (;;) {
    const seen = events?.count ?? 0;
    try {
      const value = await probe();
      last = { value };
      if (until(value)) return value;
    } catch (error) {
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const error = lastError === undefined ? '' : `; last error: ${String(lastError)}`;
      throw new Error(
        `timed out after ${duration(timeoutMs)} waiting for ${what}; last seen: ${last ? shown(last.value) : 'nothing (every probe threw)'}${error}`,
      );
    }
    const pause = Math.min(intervalMs, left);
    await (events ? events.nap(pause, seen) : delay(pause));
  }
}
