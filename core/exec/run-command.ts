// Every shell-out goes through here (execa underneath): output lines stream into the task log,
// and a failure carries the command as a line you can paste into a shell, plus its output tail.
import { execa, type Options } from 'execa';
import { KartStreamError } from '../errors/kartstream-error.ts';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Receives every line of stdout and stderr as it arrives. */
  log?: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  input?: string;
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

// The command as one pasteable line.
export const prettyCommand = (file: string, args: readonly string[]): string =>
  [file, ...args].map(quote).join(' ');

// Runs a command to completion and returns its stdout; throws a KartStreamError on failure.
export const runCommand = async (
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> => {
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    options.log?.(line);
  };
  const execaOptions: Options = {
    cwd: options.cwd,
    env: options.env,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    input: options.input,
    stdout: [
      'pipe',
      function* (line: unknown) {
        onLine(String(line));
        yield line;
      },
    ],
    stderr: [
      'pipe',
      function* (line: unknown) {
        onLine(String(line));
        yield line;
      },
    ],
    reject: false,
  };
  const result = await execa(file, args, execaOptions);
  if (result.failed) {
    const command = prettyCommand(file, args);
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    const why = missing
      ? 'the program was not found'
      : result.isCanceled
        ? 'it was canceled'
        : result.timedOut
          ? `it timed out after ${options.timeoutMs} ms`
          : `it exited with code ${result.exitCode ?? result.signal}`;
    throw new KartStreamError(
      missing ? 'missing-binary' : result.isCanceled ? 'canceled' : 'command-failed',
      `failed to run ${command}: ${why}`,
      {
        details: tail.slice(-10),
        cause: result.cause,
      },
    );
  }
  return String(result.stdout ?? '');
};
