// The `kartstream` command inside a lab: a small sh script in `<lab dir>/bin` that runs the CLI
// of the app that wrote it (same Node, or Electron run as Node; same checkout), so commands in
// scenario text work in the lab terminal, in `kartstream shell` and in --auto-solve alike.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A string as one sh word, in single quotes. */
const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** This checkout's CLI entry point. */
export const CLI_ENTRY = fileURLToPath(new URL('../../bin/kartstream.js', import.meta.url));

/** A `kartstream` command line that runs this checkout's CLI, with the Node (or Electron) that runs now. */
export const cliShimScript = (execPath: string, entry: string, electron: boolean): string =>
  `#!/bin/sh\n# Written by KartStream: \`kartstream\` in the lab shell runs the CLI of the app that opened it.\n${
    electron ? 'ELECTRON_RUN_AS_NODE=1 ' : ''
  }exec ${shQuote(execPath)} ${shQuote(entry)} "$@"\n`;

/** Writes the shim into `<lab dir>/bin` and returns that directory. */
export const writeCliShim = async (labDir: string): Promise<string> => {
  const dir = join(labDir, 'bin');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const script = cliShimScript(process.execPath, CLI_ENTRY, Boolean(process.versions.electron));
  await writeFile(join(dir, 'kartstream'), script, { mode: 0o700 });
  return dir;
};
