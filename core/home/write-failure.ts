// The error for a state file that could not be written, naming the file. A full disk (ENOSPC, or
// a quota: EDQUOT) is the likely one and says how to make room; the lab itself keeps running,
// since its cluster does not depend on these files.
import { dirname } from 'node:path';
import { KartStreamError } from '../errors/kartstream-error.ts';

export const isDiskFull = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
};

/** `what` says what the file is, e.g. "the lab's timeline". */
export const writeFailure = (file: string, what: string, cause: unknown): KartStreamError => {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const dir = dirname(file);
  return isDiskFull(cause)
    ? new KartStreamError('io-failed', `could not write ${what} (${file}): the disk is full`, {
        cause,
        details: [reason],
        fix: `free some space on the disk that holds ${dir} (see \`df -h ${dir}\`), or move KartStream's data to a disk with room by setting KARTSTREAM_HOME; the lab keeps running meanwhile`,
      })
    : new KartStreamError('io-failed', `could not write ${what} (${file})`, {
        cause,
        details: [reason],
        fix: `check that ${dir} exists and is writable by you`,
      });
};
