// `kartstream` with no command (and `kartstream app`): the desktop window where Electron can
// run, otherwise the UI served to the system browser, with the reason said plainly.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { execa } from 'execa';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { Output } from './output.ts';
import { serve } from './serve-command.ts';

const SHELL_MAIN = fileURLToPath(new URL('../../electron/main.js', import.meta.url));

/** The Electron binary and the shell's entry point, or why the window cannot open here. */
export const desktopLaunch = (): { binary: string } | { why: string } => {
  let binary: unknown;
  try {
    // The `electron` package's main export is the path of the binary its postinstall downloaded.
    binary = createRequire(import.meta.url)('electron');
  } catch {
    return { why: 'the Electron binary is not installed (it needs Node ≥ 22.12 and a download)' };
  }
  if (typeof binary !== 'string' || !existsSync(binary))
    return { why: 'the electron package is there but its binary is missing (its download did not finish)' };
  if (!existsSync(SHELL_MAIN)) return { why: `the desktop shell is missing (${SHELL_MAIN})` };
  const hasDisplay =
    process.platform === 'darwin' ||
    process.platform === 'win32' ||
    Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!hasDisplay) return { why: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  return { binary };
};

export const launchApp = async (out: Output): Promise<void> => {
  const launch = desktopLaunch();
  if ('why' in launch) {
    out.info(`${launch.why}; serving the UI to your browser instead`);
    return serve({ open: true }, out);
  }
  out.info('opening the KartStream window');
  // The shell starts `kartstream serve` itself; it must run as Electron, not as plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const result = await execa(launch.binary, [SHELL_MAIN], {
    env,
    extendEnv: false,
    stdin: 'ignore',
    stdout: 'inherit',
    stderr: 'inherit',
    reject: false,
  });
  if (result.failed && !result.isTerminated)
    throw new KartStreamError(
      'command-failed',
      `the desktop window ${result.exitCode === undefined ? 'could not start' : `exited with code ${result.exitCode}`}`,
      {
        fix: 'run `kartstream serve --open` to use the UI in your browser instead',
        cause: result.cause,
      },
    );
};

export const addAppCommand = (program: Command, out: Output): void => {
  program
    .command('app')
    .description(
      'open KartStream: the desktop window where Electron can run, else the UI in your browser (the default)',
    )
    .action(() => launchApp(out));
};
