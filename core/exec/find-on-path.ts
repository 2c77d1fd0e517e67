// `which`, without a shell: the first executable file called `name` in the PATH's directories.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export const pathDirs = (pathValue = process.env.PATH ?? ''): string[] =>
  pathValue.split(delimiter).filter((dir) => dir.length > 0);

export const isExecutableFile = async (file: string): Promise<boolean> => {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
};

export const findOnPath = async (name: string, pathValue?: string): Promise<string | undefined> => {
  for (const dir of pathDirs(pathValue)) {
    const file = join(dir, name);
    if (await isExecutableFile(file)) return file;
  }
  return undefined;
};
