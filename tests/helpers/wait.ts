// One way for tests to wait: poll a probe until a condition holds, failing with what was awaited
// and the last value seen.
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `probe` every `intervalMs` until `until(value)` holds; returns that value. */
export const waitFor = async <T>(
  what: string,
  probe: () => T | Promise<T>,
  until: (value: T) => boolean,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (until(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${String(value).slice(-2000)}`);
    await sleep(intervalMs);
  }
};
