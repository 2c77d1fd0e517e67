// One command at a time changes a lab: `up`, `down` and `reset` (from the CLI or the server) hold
// <home>/locks/<lab>.lock while they run. The file is created with O_EXCL and holds the holder's
// pid and command; a lock whose pid is gone (a killed command) is stale and is taken over. The
// locks live outside the lab's folder, which `down` removes and whose presence means "a lab".
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { isAlive } from '../exec/process-alive.ts';
import { stateHome } from '../home/paths.ts';
import { ensurePrivateDir } from '../home/private-files.ts';

export interface LabLockHolder {
  pid: number;
  /** What holds the lab, e.g. `up`. */
  command: string;
  since: string;
}

const locksDir = (): string => join(stateHome(), 'locks');
/** What a lock guards: the lab itself, or its promotion to EKS (AWS state, not the local lab). */
export type LockScope = 'lab' | 'promote';
// Lab names have no dot, so `<lab>.promote.lock` never meets another lab's lock.
export const labLockPath = (name: string, scope: LockScope = 'lab'): string =>
  join(locksDir(), scope === 'lab' ? `${name}.lock` : `${name}.${scope}.lock`);

// A takeover guard older than this was left by a process killed in the middle of a takeover.
const GUARD_STALE_MS = 10_000;
// A lock file still empty after this was left by a process killed between create and write.
const EMPTY_STALE_MS = 10_000;

const readHolder = async (path: string): Promise<LabLockHolder | 'empty' | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LabLockHolder;
    return typeof holder.pid === 'number' ? holder : 'empty';
  } catch {
    return 'empty';
  }
};

const pause = () => new Promise<void>((r) => setTimeout(r, 50));

const ageMs = async (path: string): Promise<number> =>
  Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now());

/** Who holds the lab now: a live holder, or undefined (free, or held by a process that is gone). */
export const labLockHolder = async (
  name: string,
  scope: LockScope = 'lab',
): Promise<LabLockHolder | undefined> => {
  const holder = await readHolder(labLockPath(name, scope));
  return typeof holder === 'object' && isAlive(holder.pid) ? holder : undefined;
};

const busy = (name: string, holder: LabLockHolder, command: string, path: string): KartStreamError =>
  new KartStreamError(
    'conflict',
    `lab ${name} is busy: \`${holder.command}\` (pid ${holder.pid}) is running since ${holder.since}`,
    {
      details: [`\`${command}\` was not started; the lab's lock is ${path}`],
      fix: `wait for it to end and run \`${command}\` again; if it is stuck, stop it with: kill ${holder.pid}`,
    },
  );

// Removes a stale lock, one process at a time (the guard), so that two processes that both found
// it stale cannot remove the fresh lock one of them has just taken.
const removeStale = async (path: string, seen: LabLockHolder | 'empty'): Promise<void> => {
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

/** Takes the lab's lock or throws `conflict` naming the command that holds it. Returns the release. */
export const lockLab = async (
  name: string,
  command: string,
  scope: LockScope = 'lab',
): Promise<() => Promise<void>> => {
  await ensurePrivateDir(locksDir());
  const path = labLockPath(name, scope);
  const mine: LabLockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(mine)}\n`);
      } finally {
        await handle.close();
      }
      return async () => {
        // Only our own lock is removed (never one a takeover gave to another process).
        const holder = await readHolder(path).catch(() => undefined);
        if (typeof holder === 'object' && holder.pid === mine.pid && holder.since === mine.since)
          await rm(path, { force: true });
      };
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
    if (isAlive(holder.pid)) throw busy(name, holder, command, path);
    await removeStale(path, holder);
  }
  throw new KartStreamError('conflict', `could not take the lock of lab ${name}`, {
    details: [`${path} keeps changing: other commands are starting on this lab`],
    fix: `run \`${command}\` again`,
  });
};

/** Runs `fn` holding the lab's lock. */
export const withLabLock = async <T>(
  name: string,
  command: string,
  fn: () => Promise<T>,
  scope: LockScope = 'lab',
): Promise<T> => {
  const release = await lockLab(name, command, scope);
  try {
    return await fn();
  } finally {
    await release();
  }
};
