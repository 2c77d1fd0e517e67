// The shell's way of starting the core server, run with plain Node where Electron is missing:
// the real `bin/kartstream.js serve` through electron/server-process.js, then the API it serves.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { serverUrlFrom, startServer, UI_LINE_PREFIX } from '../../../electron/server-process.js';
import { isKartStreamError } from '../../../core/errors/kartstream-error.ts';
import { waitFor } from '../../helpers/wait.ts';

// The timers electron/server-process.js sets, so a test fires its start-up timeout itself once
// the server has done what it should have by then, instead of racing a short real timeout.
const timers = vi.hoisted(() => [] as { ms: number; fire: () => void }[]);
vi.mock('node:timers', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:timers')>();
  return {
    ...real,
    setTimeout: (callback: () => void, ms: number) => {
      const timer = real.setTimeout(callback, ms);
      timers.push({
        ms,
        fire: () => {
          real.clearTimeout(timer);
          callback();
        },
      });
      return timer;
    },
  };
});

const REPO = join(import.meta.dirname, '../../..');
const TMP = mkdtempSync(join(tmpdir(), 'kartstream-shell-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A directory under TMP holding the given files. */
const dirWith = (name: string, files: Record<string, string>): string => {
  const dir = join(TMP, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('serverUrlFrom', () => {
  const token = 'q8Yt2Zr0Jd6lS9kVxB3nW1cA5eF7gH4iK0mN2oP6rT8';

  it('reads the app URL, its origin and token from the line serve prints', () => {
    expect(serverUrlFrom(`${UI_LINE_PREFIX}http://127.0.0.1:43117/t/${token}/\r`.replace('\r', ''))).toEqual({
      url: `http://127.0.0.1:43117/t/${token}/`,
      origin: 'http://127.0.0.1:43117',
      token,
    });
  });

  it('ignores other lines', () => {
    expect(serverUrlFrom('serving on 127.0.0.1:43117')).toBeUndefined();
  });

  it.each([
    `http://evil.example:80/t/${token}/`,
    `https://127.0.0.1:43117/t/${token}/`,
    'http://127.0.0.1:43117/',
    `http://127.0.0.1/t/${token}/`,
    `http://127.0.0.1:43117/t/${token}/?next=https://evil.example`,
    'file:///etc/passwd',
    'not a url',
  ])('refuses to load %s', (url) => {
    expect(() => serverUrlFrom(`${UI_LINE_PREFIX}${url}`)).toThrow(/an address the window will not load/);
  });
});

describe('startServer', () => {
  const env = { ...process.env, KARTSTREAM_HOME: join(TMP, 'home') };
  const rendererDir = dirWith('renderer', {
    'index.html': '<!doctype html><title>KartStream test UI</title>',
  });

  it('starts the real `kartstream serve --desktop` and reaches its API with the URL it printed', async () => {
    let log = '';
    const server = await startServer({
      execPath: process.execPath,
      appRoot: REPO,
      rendererDir,
      env,
      onLog: (text) => (log += text),
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]{43}\/$/);
      expect(server.url).toBe(`${server.origin}/t/${server.token}/`);
      const info = await fetch(`${server.url}trpc/app.info`);
      expect(info.status).toBe(200);
      const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
      expect(await info.json()).toMatchObject({ result: { data: { desktop: true, version: pkg.version } } });
      // The page comes from the prebuilt UI the shell pointed the server at.
      expect(await (await fetch(server.url)).text()).toContain('KartStream test UI');
      // Without the token, or with another one, nothing.
      expect((await fetch(`${server.origin}/trpc/app.info`)).ok).toBe(false);
      expect((await fetch(server.url.replace(server.token, 'x'.repeat(43)))).ok).toBe(false);
      expect(log).toContain('serving on 127.0.0.1');
      expect(log).not.toContain(server.token);
    } finally {
      server.stop();
    }
    await waitFor(
      'the server to exit after stop()',
      () => server.child.exitCode ?? server.child.signalCode,
      (end) => end !== null,
      20_000,
      { intervalMs: 50 },
    );
  }, 60_000);

  it('reports a server that exits before printing its URL, with its error output', async () => {
    const error: unknown = await startServer({
      execPath: process.execPath,
      appRoot: REPO,
      rendererDir: dirWith('empty-renderer', {}),
      env,
    }).catch((e: unknown) => e);
    expect(isKartStreamError(error)).toBe(true);
    const { code, message, details, fix } = error as Error & { code: string; details: string[]; fix: string };
    expect(code).toBe('command-failed');
    expect(message).toMatch(/the KartStream server exited \(code [1-9]\d*\) before printing its URL/);
    expect(details.join('\n')).toContain('KARTSTREAM_RENDERER_DIR has no index.html');
    expect(fix).toContain('bin/kartstream.js serve --port 0 --desktop');
  }, 60_000);

  it('reports an app root without the CLI', async () => {
    const error = (await startServer({
      execPath: process.execPath,
      appRoot: dirWith('no-cli', {}),
      env,
    }).catch((e: unknown) => e)) as Error & { details: string[] };
    expect(error.message).toMatch(/exited \(code 1\) before printing its URL/);
    expect(error.details.join('\n')).toContain('Cannot find module');
  });

  it('gives up on a server that never prints its URL, and stops it', async () => {
    const appRoot = dirWith('silent', {
      'bin/kartstream.js': `require('node:fs').writeFileSync(__dirname + '/pid', String(process.pid));
process.stderr.write('still loading\\n');
setInterval(() => {}, 1000);`,
    });
    writeFileSync(join(appRoot, 'package.json'), '{"type":"commonjs"}');
    // A timeout that never ends by itself: it is fired below, once the server logged its line.
    const timeoutMs = 3_600_000;
    let log = '';
    const starting = startServer({
      execPath: process.execPath,
      appRoot,
      env,
      timeoutMs,
      onLog: (text) => (log += text),
    }).catch((e: unknown) => e);
    await waitFor(
      'the silent server to log "still loading"',
      () => log,
      (l) => l.includes('still loading'),
      30_000,
      {
        intervalMs: 50,
      },
    );
    const timeout = timers.find((t) => t.ms === timeoutMs);
    expect(timeout, 'startServer set its start-up timeout').toBeDefined();
    timeout?.fire();
    const error = (await starting) as Error & { code: string; details: string[] };
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/did not print its URL within 3600 s/);
    expect(error.details).toEqual(['still loading']);
    const pid = Number(readFileSync(join(appRoot, 'bin/pid'), 'utf8'));
    await waitFor(
      `the silent server (pid ${pid}) to be stopped`,
      () => isRunning(pid),
      (running) => !running,
      5_000,
      {
        intervalMs: 50,
      },
    );
  });

  it('refuses and stops a server that prints a URL the window must not load', async () => {
    const appRoot = dirWith('foreign', {
      'bin/kartstream.js': `console.log('KartStream UI: http://evil.example/t/abc/');
setInterval(() => {}, 1000);`,
    });
    const error = (await startServer({ execPath: process.execPath, appRoot, env }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toContain('an address the window will not load: http://evil.example/t/abc/');
  });
});
