// `kartstream serve` as a user starts it: a child process with its own KARTSTREAM_HOME, the URL
// read from the one line it prints on stdout, stopped with SIGTERM; stopping reports which of the
// processes it had started are still alive (none should be).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { execa } from 'execa';
import { waitFor } from '../../helpers/wait.ts';
import { REPO } from '../../integration/helpers/lab-env.ts';

export const URL_LINE = /^KartStream UI: (http:\/\/127\.0\.0\.1:(\d+)\/t\/([^/\s]+)\/)$/;

export interface ServedApp {
  /** http://127.0.0.1:PORT/t/TOKEN/ as printed. */
  url: string;
  origin: string;
  port: number;
  token: string;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, wait for the exit; returns (and then kills) the processes it had started that are still alive. */
  stop(): Promise<{ exited: boolean; leftovers: string[] }>;
}

const processTable = async (): Promise<{ pid: number; ppid: number; args: string }[]> => {
  const ps = await execa('ps', ['-eo', 'pid=,ppid=,args='], { reject: false });
  return String(ps.stdout)
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? '' }));
};

/** Every process below `root` (children, their children, ...), with its command line. */
const descendants = async (root: number): Promise<Map<number, string>> => {
  const table = await processTable();
  const found = new Map<number, string>();
  let frontier = [root];
  while (frontier.length > 0) {
    const next = table.filter((p) => frontier.includes(p.ppid) && !found.has(p.pid));
    for (const p of next) found.set(p.pid, p.args);
    frontier = next.map((p) => p.pid);
  }
  return found;
};

const exitOf = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

export const startServe = async (options: {
  home: string;
  env?: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
}): Promise<ServedApp> => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, KARTSTREAM_HOME: options.home };
  // Headless: `serve` must not try to open a browser of its own.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child = spawn(process.execPath, [join(REPO, 'bin/kartstream.js'), 'serve', ...(options.args ?? [])], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));

  // The renderer may be built first (Vite), which takes a while on a busy machine. A serve that
  // exits ends the wait at once.
  const started = await waitFor(
    'kartstream serve to print its URL line',
    () => ({
      match: URL_LINE.exec(stdout.split('\n')[0] ?? ''),
      exit: child.exitCode ?? child.signalCode,
    }),
    (s) => s.match !== null || s.exit !== null,
    options.timeoutMs ?? 240_000,
    { intervalMs: 100 },
  ).catch((error: unknown) => ({ match: null, exit: null, error }));
  const match = started.match;
  if (!match) {
    child.kill('SIGKILL');
    const why = 'error' in started ? `${String(started.error)}\n` : '';
    throw new Error(
      `kartstream serve printed no URL line (exit ${started.exit ?? 'none yet'}):\n${why}` +
        `stdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-4000)}`,
    );
  }
  const url = match[1]!;
  const pid = child.pid!;
  return {
    url,
    origin: new URL(url).origin,
    port: Number(match[2]),
    token: match[3]!,
    pid,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return { exited: true, leftovers: [] };
      const started = await descendants(pid);
      child.kill('SIGTERM');
      const exited = await Promise.race([
        exitOf(child).then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
      ]);
      if (!exited) {
        child.kill('SIGKILL');
        await exitOf(child);
      }
      // Helpers that watch their parent (esbuild's service pings it) end within moments of it;
      // those still alive after 5 s are reported (a timeout here is the answer, not an error).
      const alive = async (): Promise<[number, string][]> => {
        const running = new Set((await processTable()).map((p) => p.pid));
        return [...started].filter(([p]) => running.has(p));
      };
      await waitFor('the processes serve started to end', alive, (l) => l.length === 0, 5_000, {
        intervalMs: 200,
      }).catch(() => undefined);
      const left = await alive();
      // Reported to the test, then ended so they do not outlive the run.
      for (const [p] of left) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // ended meanwhile
        }
      }
      return { exited, leftovers: left.map(([p, args]) => `${p} ${args}`) };
    },
  };
};
