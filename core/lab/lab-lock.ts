// One command at a time changes a lab: `up`, `down`, `reset` and the promote commands (from the
// CLI or the server) hold <home>/locks/<lab>.lock (exec/pid-lock.ts) while they run; a second
// command is refused, naming the first. The locks live outside the lab's folder, which `down`
// removes and whose presence means "a lab".
import { join } from 'node:path';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { labCommand, upCommand } from '../home/lab-name.ts';
import { stateHome } from '../home/paths.ts';
import { pidLockHolder, tryPidLock, type LockHolder } from '../exec/pid-lock.ts';

/** What a lock guards: the lab itself, or its promotion to EKS (AWS state, not the local lab). */
export type LockScope = 'lab' | 'promote';

// Lab names have no dot, so `<lab>.promote.lock` never meets another lab's lock.
export const labLockPath = (name: string, scope: LockScope = 'lab'): string =>
  join(stateHome(), 'locks', scope === 'lab' ? `${name}.lock` : `${name}.${scope}.lock`);

/** Who holds the lab now: a live holder, or undefined (free, or held by a process that is gone). */
export const labLockHolder = (name: string, scope: LockScope = 'lab'): Promise<LockHolder | undefined> =>
  pidLockHolder(labLockPath(name, scope));

/** Takes the lab's lock or throws `conflict` naming the command that holds it. Returns the release. */
export const lockLab = async (
  name: string,
  command: string,
  scope: LockScope = 'lab',
): Promise<() => Promise<void>> => {
  const path = labLockPath(name, scope);
  const taken = await tryPidLock(path, command);
  if ('release' in taken) return taken.release;
  const { holder } = taken;
  throw new KartStreamError(
    'conflict',
    `lab ${name} is busy: \`${holder.command}\` (pid ${holder.pid}) is running since ${holder.since}`,
    {
      details: [`\`${command}\` was not started; the lab's lock is ${path}`],
      fix: `wait for it to end and run \`${command}\` again; if it is stuck, stop it with: kill ${holder.pid}`,
    },
  );
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

// A lab whose `up` was killed before it ended (its record says `creating`, and no live process
// holds its lock): never shown as a lab that runs, by `status` or the app's list of labs.
export const halfCreatedError = (name: string): KartStreamError =>
  new KartStreamError(
    'conflict',
    `lab ${name} was half-created: its \`up\` was interrupted before it ended`,
    {
      details: ['its cluster may be partly running, without every node or workload'],
      fix: `finish it with \`${upCommand(name)}\`, or remove what is left with \`${labCommand('down', name)}\``,
    },
  );
