// `kartstream serve` as a user starts it: a child process with its own KARTSTREAM_HOME, the URL
// read from the one line it prints on stdout, stopped with SIGTERM; stopping reports which of the
// processes it had started are still alive (none should be).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { execa } from 'execa';
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

  // The renderer may be built first (Vite), which takes a while on a busy machine.
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  let match: RegExpExecArray | null = null;
  while (!match) {
    match = URL_LINE.exec(stdout.split('\n')[0] ?? '');
    if (match) break;
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `kartstream serve printed no URL line (exit ${child.exitCode ?? child.signalCode ?? 'none yet'}):\n` +
          `stdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-4000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
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
      // Helpers that watch their parent (esbuild's service pings it) end within moments of it.
      let left: [number, string][] = [];
      for (let i = 0; i < 25; i += 1) {
        const alive = new Set((await processTable()).map((p) => p.pid));
        left = [...started].filter(([p]) => alive.has(p));
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
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
