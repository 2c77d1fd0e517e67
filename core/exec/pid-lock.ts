// A lock file for one command at a time across processes: created with O_EXCL (mode 0600), it
// holds the holder's pid and command. A lock whose pid is gone (a killed command) is stale and is
// taken over; a takeover guard keeps two processes that found it stale from removing the fresh
// lock one of them has just taken.
import { open, readFile, rm, stat } from 'node:fs/promises';
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
// A lock file still empty after this was left by a process killed between create and write.
const EMPTY_STALE_MS = 10_000;

const pause = (ms = 50) => new Promise<void>((r) => setTimeout(r, ms));

const ageMs = async (path: string): Promise<number> =>
  Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now());

const readHolder = async (path: string): Promise<LockHolder | 'empty' | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return typeof holder.pid === 'number' ? holder : 'empty';
  } catch {
    return 'empty';
  }
};

/** The live holder of the lock at `path`, or undefined (free, or held by a process that is gone). */
export const pidLockHolder = async (path: string): Promise<LockHolder | undefined> => {
  const holder = await readHolder(path);
  return typeof holder === 'object' && isAlive(holder.pid) ? holder : undefined;
};

const removeStale = async (path: string, seen: LockHolder | 'empty'): Promise<void> => {
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
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(mine)}\n`);
      } finally {
        await handle.close();
      }
      const release = async () => {
        const holder = await readHolder(path).catch(() => undefined);
        if (typeof holder === 'object' && holder.pid === mine.pid && holder.since === mine.since)
          await rm(path, { force: true });
      };
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (holder === undefined) continue; // released meanwhile
    if (holder === 'empty') {
      // Being written right now, or left empty by a killed process.
      if ((await ageMs(path)) > EMPTY_STALE_MS) await removeStale(path, holder);
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
