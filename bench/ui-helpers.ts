// What the UI benchmarks share: a sim lab and `kartstream serve` run as a user runs them (CLI
// processes with their own KARTSTREAM_HOME), Debian's Chromium through playwright-core, a few
// statistics, and cleanup that runs on success, on failure and on Ctrl+C.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../core/server/renderer-assets.ts';

export const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'bin/kartstream.js');

// ---- cleanup ------------------------------------------------------------------------------------

const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | undefined;

/** Registers work to undo; it runs (newest first) when the bench ends, fails or is interrupted. */
export const onCleanup = (what: string, run: () => Promise<unknown>): void => {
  cleanups.push({ what, run });
};

const cleanUp = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`cleanup: ${what} failed: ${String(error)}`);
      }
    }
  })());

/** Runs a benchmark; whatever it started is cleaned up afterwards, also on SIGINT/SIGTERM. */
export const runBench = async (main: () => Promise<void>): Promise<void> => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      if (cleaning) return;
      console.error(`${signal}: cleaning up (the lab is brought down), please wait`);
      void cleanUp().then(() => process.exit(130));
    });
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await cleanUp();
  }
};

// ---- lab and server -----------------------------------------------------------------------------

export interface BenchHome {
  env: NodeJS.ProcessEnv;
  /** Runs the kartstream CLI with this home; output is captured (and shown when it fails). */
  cli: (...args: string[]) => Promise<string>;
}

/** A temporary KARTSTREAM_HOME, removed at cleanup. */
export const benchHome = (prefix: string): BenchHome => {
  const home = mkdtempSync(join(tmpdir(), `kartstream-${prefix}-`));
  onCleanup(`removing ${home}`, async () => rmSync(home, { recursive: true, force: true }));
  const env = { ...process.env, KARTSTREAM_HOME: home };
  const cli = async (...args: string[]) => {
    const result = await execa(process.execPath, [CLI, ...args], {
      env,
      cwd: REPO,
      reject: false,
      all: true,
    });
    if (result.exitCode !== 0)
      throw new Error(`kartstream ${args.join(' ')} exited ${result.exitCode}:\n${result.all?.slice(-4000)}`);
    return result.stdout;
  };
  return { env, cli };
};

/** `kartstream up` of a sim lab (brought down at cleanup); returns its kubeconfig path. */
export const upLab = async (home: BenchHome, name: string, ...flags: string[]): Promise<string> => {
  onCleanup(`kartstream down --name ${name}`, () => home.cli('down', '--name', name));
  await home.cli('up', '--backend', 'sim', '--name', name, ...flags);
  return (await home.cli('kubeconfig', '--name', name)).trim();
};

export interface Served {
  url: string;
  pid: number;
  /** SIGTERM (SIGKILL after 20 s) and wait for the exit; also done at cleanup. */
  stop: () => Promise<void>;
}

/**
 * A copy of the built UI, as the packaged app has: the server under test then neither builds it
 * (Vite would stay in its memory) nor sees other builds of renderer/dist while the bench runs.
 */
const prebuiltRenderer = async (): Promise<string> => {
  const dist = await ensureRendererBuilt((line) => console.log(line));
  const copy = mkdtempSync(join(tmpdir(), 'kartstream-bench-ui-'));
  onCleanup(`removing ${copy}`, async () => rmSync(copy, { recursive: true, force: true }));
  cpSync(dist, copy, { recursive: true });
  return copy;
};

/**
 * `kartstream serve --name LAB` as a child process, on a prebuilt UI (KARTSTREAM_RENDERER_DIR);
 * the URL is the one line it prints on stdout.
 */
export const startServe = async (
  home: BenchHome,
  lab: string,
  env: Record<string, string> = {},
): Promise<Served> => {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--name', lab], {
    env: { ...home.env, KARTSTREAM_RENDERER_DIR: await prebuiltRenderer(), ...env },
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onCleanup('stopping kartstream serve', () => stopChild(child));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve printed no URL within 180 s:\n${stderr}`)),
      180_000,
    );
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before its URL:\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^KartStream UI: (http:\/\/127\.0\.0\.1:\d+\/t\/[^/\s]+\/)$/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { url, pid: child.pid ?? 0, stop: () => stopChild(child) };
};

const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const late = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(late);
};

/** A process's resident memory split as the kernel counts it: anonymous (heap, buffers) and file-backed, MB. */
export const rssParts = (pid: number): { anonMb: number; fileMb: number } => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024 };
  } catch {
    return { anonMb: 0, fileMb: 0 };
  }
};

/** Resident memory of a process in MB (VmRSS), or 0 when it is gone. */
export const rssMb = (pid: number): number => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
};

/** CPU seconds (user + system) a process has used so far, or 0 when it is gone (Linux clock ticks of 1/100 s). */
export const cpuSeconds = (pid: number): number => {
  try {
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};

// ---- browser ------------------------------------------------------------------------------------

export const launchChromium = async (): Promise<Browser> => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  onCleanup('closing Chromium', () => browser.close());
  return browser;
};

/** Opens the cluster map of `lab` and waits until the first full view (the `reset`) is drawn. */
export const openMap = async (
  browser: Browser,
  url: string,
  lab: string,
  timeoutMs = 60_000,
): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${url}#/map?lab=${encodeURIComponent(lab)}`);
  await page.locator('[data-testid="cluster-map"][data-loaded="true"]').waitFor({ timeout: timeoutMs });
  return page;
};

// ---- statistics ---------------------------------------------------------------------------------

/** The p-th percentile (nearest rank) of `values`; 0 for none. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

export const describeMs = (values: readonly number[]): string =>
  `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, max ${Math.max(0, ...values).toFixed(1)} ms (n=${values.length})`;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `done` until it holds or `timeoutMs` passes; returns whether it held. */
export const until = async (
  done: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 500,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(everyMs);
  }
  return false;
};
