// The per-lab lock: one holder at a time, a clear refusal naming the holder, a stale lock (its
// pid gone, or a file that is not a lock) taken over, and only our own lock released.
import { execa } from 'execa';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labLockHolder, labLockPath, lockLab, withLabLock } from '../../../core/lab/lab-lock.ts';
import { isKartStreamError } from '../../../core/errors/kartstream-error.ts';

describe('lab lock', () => {
  let home: string;
  let before: string | undefined;
  beforeEach(() => {
    before = process.env.KARTSTREAM_HOME;
    home = mkdtempSync(join(tmpdir(), 'kartstream-lock-'));
    process.env.KARTSTREAM_HOME = home;
  });
  afterEach(() => {
    if (before === undefined) delete process.env.KARTSTREAM_HOME;
    else process.env.KARTSTREAM_HOME = before;
    rmSync(home, { recursive: true, force: true });
  });

  // A pid that surely belongs to no process: one that has just exited.
  const deadPid = async () => {
    const child = execa('true');
    await child;
    return child.pid ?? 0;
  };

  it('is a private file naming the holder, removed on release', async () => {
    const release = await lockLab('lab-a', 'up');
    const path = labLockPath('lab-a');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, command: 'up' });
    expect(await labLockHolder('lab-a')).toMatchObject({ pid: process.pid, command: 'up' });
    await release();
    expect(existsSync(path)).toBe(false);
    expect(await labLockHolder('lab-a')).toBeUndefined();
  });

  it('refuses a second holder, naming the first and how to get out', async () => {
    await withLabLock('lab-a', 'up', async () => {
      const error: unknown = await lockLab('lab-a', 'down').catch((e: unknown) => e);
      expect(isKartStreamError(error) && error.code).toBe('conflict');
      expect((error as Error).message).toMatch(/^lab lab-a is busy: `up` \(pid \d+\) is running since /);
      expect(isKartStreamError(error) && error.fix).toContain(`kill ${process.pid}`);
    });
    // Another lab, or the promotion of the same lab, is not held.
    await withLabLock('lab-a', 'up', () =>
      Promise.all([
        withLabLock('lab-b', 'up', async () => 1),
        withLabLock('lab-a', 'promote apply', async () => 2, 'promote'),
      ]),
    );
  });

  it('takes over a lock whose pid is gone, and one that is not a lock at all', async () => {
    await mkdir(join(home, 'locks'), { recursive: true });
    const path = labLockPath('lab-a');
    writeFileSync(path, JSON.stringify({ pid: await deadPid(), command: 'up', since: 'then' }));
    expect(await labLockHolder('lab-a')).toBeUndefined();
    await withLabLock('lab-a', 'reset', async () => {
      expect(await labLockHolder('lab-a')).toMatchObject({ pid: process.pid, command: 'reset' });
    });
    writeFileSync(path, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    await withLabLock('lab-a', 'up', async () => undefined);
    expect(existsSync(path)).toBe(false);
  });

  it('of two takers racing for one stale lock, exactly one gets it', async () => {
    await mkdir(join(home, 'locks'), { recursive: true });
    writeFileSync(
      labLockPath('lab-a'),
      JSON.stringify({ pid: await deadPid(), command: 'up', since: 'then' }),
    );
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => lockLab('lab-a', 'up')));
    // One process takes it; the others are refused because it (this same pid) now holds it.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a release never removes a lock another holder took meanwhile', async () => {
    const release = await lockLab('lab-a', 'up');
    const path = labLockPath('lab-a');
    writeFileSync(path, JSON.stringify({ pid: process.pid, command: 'down', since: 'later' }));
    await release();
    expect(existsSync(path)).toBe(true);
  });
});
