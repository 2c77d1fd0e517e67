// The engine's one sleep and one poll loop.
import { describe, expect, it } from 'vitest';
import { sleep, waitUntil } from '../../../core/tasks/wait.ts';

describe('sleep', () => {
  it('wakes at once and says canceled when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleep(10_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ code: 'canceled' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses to start on an aborted signal', async () => {
    await expect(sleep(10, AbortSignal.abort())).rejects.toMatchObject({ code: 'canceled' });
  });
});

describe('waitUntil', () => {
  it('resolves true once the condition holds', async () => {
    let checks = 0;
    expect(await waitUntil(() => ++checks >= 3, { timeoutMs: 5_000, intervalMs: 5 })).toBe(true);
    expect(checks).toBe(3);
  });

  it('resolves false when time runs out, and the caller decides what that means', async () => {
    expect(await waitUntil(async () => false, { timeoutMs: 50, intervalMs: 10 })).toBe(false);
  });
});
