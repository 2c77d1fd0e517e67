// Private files (kubeconfigs, state): written atomically with mode 0600, in 0700 directories.
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

export const ensurePrivateDir = async (dir: string): Promise<void> => {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
};

// Write-then-rename, so a reader never sees half a file and a crash never leaves one.
export const writePrivateFile = async (file: string, content: string): Promise<void> => {
  await ensurePrivateDir(dirname(file));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, file);
  } catch (error) {
    // A half-written temp file (a full disk) is not left behind to take more room.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
};

export const writePrivateJson = (file: string, value: unknown): Promise<void> =>
  writePrivateFile(file, `${JSON.stringify(value, null, 2)}\n`);
