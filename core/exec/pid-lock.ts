// A lock file for one command at a time across processes: a complete file (mode 0600) hard-linked
// into place, as scenario runs claim a lab (scenarios/run-claim.ts), so of two takers exactly one
// wins and no reader sees half a file. It holds the holder's pid and command. A lock whose pid is gone (a killed command) is stale and is
// taken over; a takeover guard keeps two processes that found it stale from removing the fresh
// lock one of them has just taken.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isAlive } from './process-alive.ts';
import { ensurePrivateDir } from '../home/private-files.ts';

export interface LockHolder {
  pid: number;
  /** What holds the lock, e.g. `up`. */
  command: string;
  since: string;
}

// A takeover guard older than this was left by a process killed in the middle of a takeover.
const GUARD_STALE_MS = 10_000;
// A lock file that is not a lock (unreadable JSON, e.g. written by hand) is removed after this.
const BROKEN_STALE_MS = 10_000;

const pause = (ms = 50) => new Promise<void>((r) => setTimeout(r, ms));

const ageMs = async (path: string): Promise<number> =>
  Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now());

const readHolder = async (path: string): Promise<LockHolder | 'broken' | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return typeof holder.pid === 'number' ? holder : 'broken';
  } catch {
    return 'broken';
  }
};

/** The live holder of the lock at `path`, or undefined (free, or held by a process that is gone). */
export const pidLockHolder = async (path: string): Promise<LockHolder | undefined> => {
  const holder = await readHolder(path);
  return typeof holder === 'object' && isAlive(holder.pid) ? holder : undefined;
};

const removeStale = async (path: string, seen: LockHolder | 'broken'): Promise<void> => {
  const guard = `${path}.takeover`;
  if ((await ageMs(guard)) > GUARD_STALE_MS) await rm(guard, { force: true });
  let handle;
  try {
    handle = await open(guard, 'wx', 0o600);
  } catch (error) {
    // Another process is taking it over: let it finish.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return pause();
    throw error;
  }
  try {
    const now = await readHolder(path);
    const same =
      now === seen || (typeof now === 'object' && typeof seen === 'object' && now.pid === seen.pid);
    if (same) await rm(path, { force: true });
  } finally {
    await handle.close();
    await rm(guard, { force: true });
  }
};

/**
 * Takes the lock at `path` for `command`, or returns its live holder. A taken lock comes with its
 * release, which removes only our own lock.
 */
export const tryPidLock = async (
  path: string,
  command: string,
): Promise<{ release: () => Promise<void> } | { holder: LockHolder }> => {
  await ensurePrivateDir(dirname(path));
  const mine: LockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  for (;;) {
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, `${JSON.stringify(mine)}\n`, { mode: 0o600 });
    try {
      await link(temp, path);
      const release = async () => {
        const holder = await readHolder(path).catch(() => undefined);
        if (typeof holder === 'object' && holder.pid === mine.pid && holder.since === mine.since)
          await rm(path, { force: true });
      };
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(temp, { force: true });
    }
    const holder = await readHolder(path);
    if (holder === undefined) continue; // released meanwhile
    if (holder === 'broken') {
      if ((await ageMs(path)) > BROKEN_STALE_MS) await removeStale(path, holder);
      else await pause();
      continue;
    }
    if (isAlive(holder.pid)) return { holder };
    await removeStale(path, holder);
  }
};

/** Takes the lock at `path`, waiting while a live process holds it (`onWait` is told who, once). */
export const waitPidLock = async (
  path: string,
  command: string,
  options: { signal?: AbortSignal; onWait?: (holder: LockHolder) => void } = {},
): Promise<() => Promise<void>> => {
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const taken = await tryPidLock(path, command);
    if ('release' in taken) return taken.release;
    if (!told) options.onWait?.(taken.holder);
    told = true;
    await pause(1000);
  }
};
