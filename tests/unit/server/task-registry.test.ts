// The server's task registry with real tasks (runTask writing real logs under a private
// KARTSTREAM_HOME): start, list, get, watch, cancel, and a log that stays after a failure.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TaskUpdate } from '../../../core/contract/wire-types.ts';
import { KartStreamError } from '../../../core/errors/kartstream-error.ts';
import { TaskRegistry } from '../../../core/server/task-registry.ts';
import { waitFor } from '../../helpers/wait.ts';

let home = '';
const previousHome = process.env.KARTSTREAM_HOME;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'kartstream-tasks-'));
  process.env.KARTSTREAM_HOME = home;
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(() => {
  process.env.KARTSTREAM_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

const collect = async (updates: AsyncIterable<TaskUpdate>): Promise<TaskUpdate[]> => {
  const seen: TaskUpdate[] = [];
  for await (const update of updates) seen.push(update);
  return seen;
};

// A watcher: `subscribed` resolves with its first update (the snapshot, taken as it subscribes),
// so a test knows every later event reaches it; `all` resolves with every update at the end.
const watcher = (updates: AsyncIterable<TaskUpdate>) => {
  let first = (_update: TaskUpdate) => {};
  const subscribed = new Promise<TaskUpdate>((resolve) => (first = resolve));
  const all = (async () => {
    const seen: TaskUpdate[] = [];
    for await (const update of updates) {
      seen.push(update);
      first(update);
    }
    return seen;
  })();
  return { subscribed, all };
};

// A gate the test opens when it wants the task to go on.
const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('TaskRegistry', () => {
  it('runs a task with steps, progress and log lines, streamed to a watcher and kept after it ends', async () => {
    const registry = new TaskRegistry();
    const go = gate();
    const { taskId, done } = registry.start('Count sheep', { kind: 'other', lab: 'farm' }, async (task) => {
      task.step('Count the first field');
      await go.opened;
      task.log('sheep 1');
      task.progress(0.5, 'half the fields');
      task.step('Count the second field');
      task.log('sheep 2');
      return 2;
    });
    // The summary is there at once, before the work has done anything.
    expect(registry.list().map((t) => t.id)).toEqual([taskId]);
    expect(registry.get(taskId)).toMatchObject({ title: 'Count sheep', state: 'running', lab: 'farm' });

    const watched = watcher(registry.watch(taskId, new AbortController().signal));
    expect((await watched.subscribed).type).toBe('snapshot');
    go.open();
    expect(await done).toBe(2);
    const updates = await watched.all;

    expect(updates[0]?.type).toBe('snapshot');
    const rest = updates.slice(1);
    expect(rest.filter((u) => u.type === 'step').map((u) => (u as { title: string }).title)).toContain(
      'Count the second field',
    );
    expect(rest).toContainEqual({ type: 'log', line: 'sheep 1' });
    expect(rest).toContainEqual({ type: 'progress', fraction: 0.5, message: 'half the fields' });
    expect(rest.at(-1)).toEqual({ type: 'end', state: 'done' });

    const detail = registry.get(taskId);
    expect(detail.state).toBe('done');
    expect(detail.progress).toBe(1);
    expect(detail.endedAt).toBeTruthy();
    expect(detail.steps.map((s) => [s.title, s.state])).toEqual([
      ['Count the first field', 'done'],
      ['Count the second field', 'done'],
    ]);
    expect(detail.log.some((l) => l.endsWith('sheep 2'))).toBe(true);
    expect(detail.logPath.startsWith(home)).toBe(true);
    expect(readFileSync(detail.logPath, 'utf8')).toContain('sheep 1');
  });

  it('keeps the log and the typed error of a failed task', async () => {
    const registry = new TaskRegistry();
    const { taskId, done } = registry.start('Break things', { kind: 'other' }, async (task) => {
      task.step('Try');
      task.log('about to fail');
      throw new KartStreamError('cluster-failed', 'the thing broke', {
        fix: 'mend it',
        details: ['a detail'],
      });
    });
    await expect(done).rejects.toThrow('the thing broke');
    const detail = registry.get(taskId);
    expect(detail.state).toBe('failed');
    expect(detail.steps[0]).toMatchObject({ title: 'Try', state: 'failed' });
    expect(detail.error).toMatchObject({
      code: 'cluster-failed',
      message: 'the thing broke',
      details: ['a detail'],
      fix: 'mend it',
      logPath: detail.logPath,
    });
    expect(detail.log.some((l) => l.endsWith('about to fail'))).toBe(true);
    expect(detail.log.some((l) => l.includes('task failed: the thing broke'))).toBe(true);
    expect(existsSync(detail.logPath)).toBe(true);

    // Watching a finished task gives the snapshot and its end, then stops.
    const updates = await collect(registry.watch(taskId, new AbortController().signal));
    expect(updates.map((u) => u.type)).toEqual(['snapshot', 'end']);
    expect(updates[1]).toMatchObject({ state: 'failed', error: { code: 'cluster-failed' } });
  });

  it('a failed task nobody awaits does not become an unhandled rejection', async () => {
    const registry = new TaskRegistry();
    const { taskId } = registry.start('Fail alone', { kind: 'other' }, () =>
      Promise.reject(new Error('alone')),
    );
    // Its end, as a watcher sees it: by then the rejection had its chance to go unhandled.
    const updates = await collect(registry.watch(taskId, new AbortController().signal));
    expect(updates.at(-1)).toMatchObject({ type: 'end', state: 'failed' });
    expect(registry.get(taskId)).toMatchObject({ state: 'failed', error: { message: 'alone' } });
  });

  it('cancels a running task through its signal; canceling it again is a clear error', async () => {
    const registry = new TaskRegistry();
    const { taskId, done } = registry.start('Wait forever', { kind: 'other' }, async (task) => {
      task.step('Wait');
      await new Promise((_, reject) =>
        task.signal.addEventListener('abort', () => reject(new Error('stopped waiting'))),
      );
    });
    const watched = watcher(registry.watch(taskId, new AbortController().signal));
    await watched.subscribed;
    // Cancel once the work is in its step (and listens to its signal, in the same tick).
    await waitFor(
      'the task in its step "Wait"',
      () => registry.get(taskId).steps[0]?.state,
      (s) => s === 'running',
      5_000,
      {
        intervalMs: 1,
      },
    );
    registry.cancel(taskId);
    await expect(done).rejects.toThrow();
    const updates = await watched.all;
    expect(updates.at(-1)).toMatchObject({ type: 'end', state: 'canceled', error: { code: 'canceled' } });
    expect(registry.get(taskId).steps[0]?.state).toBe('canceled');

    let error: unknown;
    try {
      registry.cancel(taskId);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'conflict' });
    expect((error as Error).message).toContain(taskId);
    expect((error as Error).message).toContain('already ended (canceled)');
  });

  it('names an unknown task id', () => {
    const registry = new TaskRegistry();
    expect(() => registry.get('no-such-task')).toThrow(/no task "no-such-task"/);
    expect(() => registry.cancel('no-such-task')).toThrow(KartStreamError);
  });

  it('lists newest first and cancels everything still running on shutdown', async () => {
    const registry = new TaskRegistry();
    // Start times a second apart on a set clock (only Date is faked; timers stay real).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00.000Z'));
    const first = registry.start('First', { kind: 'other' }, async () => 1);
    await first.done;
    vi.setSystemTime(new Date('2026-01-01T10:00:01.000Z'));
    const second = registry.start('Second', { kind: 'other' }, (task) =>
      sleep(60_000, undefined, { signal: task.signal }),
    );
    expect(registry.list().map((t) => t.title)).toEqual(['Second', 'First']);
    await registry.cancelAll();
    await expect(second.done).rejects.toThrow();
    expect(registry.get(second.taskId).state).toBe('canceled');
    expect(registry.get(first.taskId).state).toBe('done');
  });

  it('a watcher that goes away stops its stream', async () => {
    const registry = new TaskRegistry();
    const { taskId, done } = registry.start('Long', { kind: 'other' }, (task) =>
      sleep(60_000, undefined, { signal: task.signal }),
    );
    const controller = new AbortController();
    const watched = watcher(registry.watch(taskId, controller.signal));
    await watched.subscribed;
    controller.abort();
    expect((await watched.all).map((u) => u.type)).toEqual(['snapshot']);
    registry.cancel(taskId);
    await expect(done).rejects.toThrow();
  });
});
