// Is there room for a download? Checked before any byte is fetched, with the path and both sizes
// in the error, so a full disk fails at once and not 400 MB in.
import { mkdir, statfs } from 'node:fs/promises';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { formatBytes } from './progress.ts';

/** Free bytes for an unprivileged user on the filesystem of `dir` (created if missing). */
export const freeBytes = async (dir: string): Promise<number> => {
  await mkdir(dir, { recursive: true });
  const info = await statfs(dir);
  return info.bavail * info.bsize;
};

/** Throws 'install-failed' if `dir` has less than `needed` bytes free. */
export const requireFreeSpace = async (dir: string, needed: number, what: string): Promise<void> => {
  const free = await freeBytes(dir);
  if (free < needed)
    throw new KartStreamError('install-failed', `not enough disk space in ${dir} for ${what}`, {
      details: [`needs about ${formatBytes(needed)}, ${formatBytes(free)} free`],
      fix: `free some space there, or point KARTSTREAM_CACHE at a disk with room`,
    });
};
