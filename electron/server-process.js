// @ts-check
// Starts the core server for the desktop window: the same `kartstream serve` a terminal user
// runs, as a child process of the shell. In dev and packaged alike the child is the shell's own
// binary run as Node (ELECTRON_RUN_AS_NODE=1), so there is one process model and one Node ABI.
// The server picks a free port and a fresh token and prints `KartStream UI: <url>`; we wait for
// that line. Plain Node runs this module too, which is how it is tested where Electron is not.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';

export const UI_LINE_PREFIX = 'KartStream UI: ';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);
const STDERR_TAIL_CHARS = 4000;
// The first start in dev may build the renderer with Vite before it listens.
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * @typedef {import('node:child_process').ChildProcess} ChildProcess
 * @typedef {{ code: string, details: string[], fix?: string }} ErrorFields
 * @typedef {{
 *   url: string, origin: string, token: string, child: ChildProcess,
 *   stderrTail: () => string, stop: () => void,
 * }} RunningServer
 */

/**
 * An error shaped like the engine's KartStreamError (name, code, details, fix), which this
 * plain-JavaScript shell cannot import.
 * @param {string} code
 * @param {string} message
 * @param {{ details?: string[], fix?: string }} [options]
 * @returns {Error & ErrorFields}
 */
export const shellError = (code, message, { details = [], fix } = {}) =>
  Object.assign(new Error(message), { name: 'KartStreamError', code, details, ...(fix ? { fix } : {}) });

/**
 * The text a user sees for an error: message, details, fix.
 * @param {unknown} error
 */
export const errorText = (error) => {
  if (!(error instanceof Error)) return String(error);
  const { details, fix } = /** @type {Partial<ErrorFields>} */ (error);
  return [error.message, ...(details ?? []).map((d) => `  ${d}`), ...(fix ? [`fix: ${fix}`] : [])].join('\n');
};

/**
 * The app's URL from one line of the server's output; undefined for other lines. A line with
 * the prefix but not a loopback http URL with a token path is an error: the window would
 * otherwise load whatever it names.
 * @param {string} line
 * @returns {{ url: string, origin: string, token: string } | undefined}
 */
export const serverUrlFrom = (line) => {
  if (!line.startsWith(UI_LINE_PREFIX)) return undefined;
  const text = line.slice(UI_LINE_PREFIX.length).trim();
  let url;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const token = url && /^\/t\/([A-Za-z0-9_-]+)\/$/.exec(url.pathname)?.[1];
  if (
    !url ||
    !token ||
    url.protocol !== 'http:' ||
    !LOOPBACK_HOSTS.has(url.hostname) ||
    !url.port ||
    url.search
  )
    throw shellError(
      'command-failed',
      `the KartStream server printed an address the window will not load: ${text}`,
      {
        fix: 'expected http://127.0.0.1:<port>/t/<token>/ — check that bin/kartstream.js is this app’s own CLI',
      },
    );
  return { url: url.href, origin: url.origin, token };
};

/**
 * Spawns `kartstream serve --port 0 --desktop` and resolves once it prints its URL.
 * @param {{
 *   execPath: string, appRoot: string, rendererDir?: string, env?: NodeJS.ProcessEnv,
 *   timeoutMs?: number, onLog?: (text: string) => void,
 * }} options `rendererDir` is the prebuilt UI of a packaged app (it has no Vite to build one);
 *   `onLog` gets the server's log (its stderr, which never carries the token).
 * @returns {Promise<RunningServer>}
 */
export const startServer = (options) => {
  const { execPath, appRoot, rendererDir, env = process.env, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const onLog = options.onLog ?? (() => {});
  const args = [join(appRoot, 'bin', 'kartstream.js'), 'serve', '--port', '0', '--desktop'];
  const child = spawn(execPath, args, {
    cwd: appRoot,
    env: {
      ...env,
      ELECTRON_RUN_AS_NODE: '1',
      ...(rendererDir ? { KARTSTREAM_RENDERER_DIR: rendererDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  const stderrTail = () => stderr.slice(-STDERR_TAIL_CHARS).trimEnd();
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  const command = `ELECTRON_RUN_AS_NODE=1 ${execPath} ${args.join(' ')}`;

  return new Promise((resolve, reject) => {
    let pending = '';
    let settled = false;
    /** @param {(() => void)} settle */
    const finish = (settle) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle();
    };
    /** @param {string} code @param {string} message @param {string} fix */
    const fail = (code, message, fix) => {
      if (settled) return;
      stop();
      const tail = stderrTail();
      finish(() => reject(shellError(code, message, { details: tail ? tail.split('\n') : [], fix })));
    };
    const timer = setTimeout(
      () =>
        fail(
          'timeout',
          `the KartStream server did not print its URL within ${Math.round(timeoutMs / 1000)} s`,
          `run \`${command}\` in a terminal to see where it stops`,
        ),
      timeoutMs,
    );

    child.stderr?.setEncoding('utf8').on('data', (/** @type {string} */ text) => {
      stderr = (stderr + text).slice(-2 * STDERR_TAIL_CHARS);
      onLog(text);
    });
    // Read to the end even after the URL, so the child never blocks on a full pipe.
    child.stdout?.setEncoding('utf8').on('data', (/** @type {string} */ text) => {
      if (settled) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        let found;
        try {
          found = serverUrlFrom(line.replace(/\r$/, ''));
        } catch (error) {
          stop();
          finish(() => reject(error));
          return;
        }
        if (found) {
          finish(() => resolve({ ...found, child, stderrTail, stop }));
          return;
        }
      }
    });
    child.on('error', (error) =>
      fail(
        'command-failed',
        `could not start the KartStream server: ${error.message}`,
        `check that ${execPath} runs`,
      ),
    );
    // 'close', not 'exit': a child that prints its URL and dies at once still gets its line read.
    child.on('close', (code, signal) =>
      fail(
        'command-failed',
        `the KartStream server exited (${signal ?? `code ${code}`}) before printing its URL`,
        `run \`${command}\` in a terminal to see all of its output`,
      ),
    );
  });
};
