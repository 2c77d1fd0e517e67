// The tests' one wait (tests/helpers/wait.ts): it returns what it waited for, treats a throwing
// probe as "not yet", fails naming what was awaited with the last value and error seen, and a
// wakeup re-probes at once instead of after the pause.
import { describe, expect, it } from 'vitest';
import { present, waitFor, wakeup } from '../../helpers/wait.ts';

describe('waitFor', () => {
  it('returns the first value that satisfies `until`; a probe that throws is "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      'the third call',
      () => {
        calls += 1;
        if (calls === 1) throw new Error('not up yet');
        return calls;
      },
      (n) => n >= 3,
      60_000,
      { intervalMs: 1 },
    );
    expect([value, calls]).toEqual([3, 3]);
  });

  it('fails naming what was awaited, the last value seen and the last error', async () => {
    const failure = waitFor(
      'the pods to move',
      () => new Map([['backend-1', 3]]),
      (pods) => pods.size === 0,
      0,
    );
    await expect(failure).rejects.toThrow(
      'timed out after 0 ms waiting for the pods to move; last seen: {"backend-1":3}',
    );

    const thrown = waitFor(
      'the server',
      () => {
        throw new Error('ECONNREFUSED');
      },
      () => true,
      0,
    );
    await expect(thrown).rejects.toThrow(
      'waiting for the server; last seen: nothing (every probe threw); last error: Error: ECONNREFUSED',
    );
  });

  it('re-probes at once when woken, not after its pause', async () => {
    const events = wakeup();
    const messages: string[] = [];
    // A pause of an hour: the wait can only end through the wakeup.
    const seen = waitFor('the "ready" message', () => messages.at(-1), present, 7_200_000, {
      intervalMs: 3_600_000,
      wakeup: events,
    });
    await new Promise((resolve) => setImmediate(resolve));
    messages.push('ready');
    events.wake();
    expect(await seen).toBe('ready');
  });

  it('re-probes at once when an event came while the probe ran', async () => {
    const events = wakeup();
    let value = 'starting';
    const seen = waitFor(
      'the value "ready"',
      async () => {
        const read = value;
        // The event arrives after the probe read, before the wait would pause.
        value = 'ready';
        events.wake();
        return read;
      },
      (v) => v === 'ready',
      7_200_000,
      { intervalMs: 3_600_000, wakeup: events },
    );
    expect(await seen).toBe('ready');
  });
});
