// The UI's files: built from renderer/ with Vite when the build is missing or older than its
// sources (so `npx kartstream` works from a fresh checkout with no build step), and served as
// static files under /t/<token>/. The packaged app points KARTSTREAM_RENDERER_DIR at its copy
// (built at package time). Vite runs in a child process: a build in the server's own process left
// ~280 MB of Vite and Rollup in the server's memory for as long as it ran.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, type Stats } from 'node:fs';
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { runCommand } from '../exec/run-command.ts';
import { sleep } from '../tasks/wait.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER = join(REPO, 'renderer');
const DIST = join(RENDERER, 'dist');
/** Written after a build, with the time the build started as its mtime. */
const STAMP = join(DIST, '.kartstream-build');
// Outside the checkout (no stray file for git), one per checkout.
const LOCK = join(
  tmpdir(),
  `kartstream-ui-build-${createHash('sha256').update(RENDERER).digest('hex').slice(0, 12)}`,
);
// What goes into the bundle. core/contract is in it for the constants the renderer imports.
const SOURCES = ['renderer/src', 'renderer/index.html', 'renderer/vite.config.ts', 'core/contract'].map((p) =>
  join(REPO, p),
);

const newestMtime = async (path: string): Promise<number> => {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newestMtime(join(path, e))));
  return Math.max(info.mtimeMs, ...times);
};

const isStale = async (): Promise<boolean> => {
  const built = await stat(STAMP).catch(() => undefined);
  if (!built || !existsSync(join(DIST, 'index.html'))) return true;
  const newest = Math.max(...(await Promise.all(SOURCES.map(newestMtime))));
  return newest > built.mtimeMs;
};

// Two servers starting at once must not build into the same dir: a directory is the lock.
const withBuildLock = async <T>(work: () => Promise<T>): Promise<T> => {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(LOCK).catch(() => undefined);
      // A build takes well under five minutes; an older lock was left by a killed process.
      if (held && Date.now() - held.mtimeMs > 5 * 60_000) await rm(LOCK, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
};

// Vite's own command, run by this Node (its package.json names the script; `vite` is a dev
// dependency, there in a checkout).
const viteBin = (): string => {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('vite/package.json');
  const { bin } = require(pkg) as { bin: Record<string, string> };
  return join(pkg, '..', bin.vite ?? 'bin/vite.js');
};

const buildRenderer = async (): Promise<void> => {
  const started = new Date();
  let bin: string;
  try {
    bin = viteBin();
  } catch (error) {
    throw new KartStreamError('not-found', 'cannot build the UI (renderer/): Vite is not installed', {
      fix: 'run `npm ci` in the KartStream checkout, or point KARTSTREAM_RENDERER_DIR at a built UI',
      cause: error,
    });
  }
  // The lint rules keep core/ free of UI imports; the child has its own NODE_ENV=production.
  try {
    await runCommand(
      process.execPath,
      [bin, 'build', '--config', join(RENDERER, 'vite.config.ts'), '--logLevel', 'warn'],
      { cwd: REPO, timeoutMs: 5 * 60_000 },
    );
  } catch (error) {
    throw new KartStreamError('command-failed', 'building the UI (renderer/) with Vite failed', {
      details: error instanceof KartStreamError ? [error.message, ...error.details] : [String(error)],
      fix: 'run `npx vite build renderer` to see the full error; `npm ci` restores missing packages',
      cause: error,
    });
  }
  await writeFile(STAMP, `${started.toISOString()}\n`);
  await utimes(STAMP, started, started);
};

/**
 * The directory holding the built UI: KARTSTREAM_RENDERER_DIR when set (nothing is built then),
 * else renderer/dist, built first when missing or older than its sources.
 */
export const ensureRendererBuilt = async (log: (line: string) => void): Promise<string> => {
  const prebuilt = process.env.KARTSTREAM_RENDERER_DIR;
  if (prebuilt) {
    const dir = resolve(prebuilt);
    if (!existsSync(join(dir, 'index.html')))
      throw new KartStreamError('not-found', `KARTSTREAM_RENDERER_DIR has no index.html: ${dir}`, {
        fix: 'point KARTSTREAM_RENDERER_DIR at a built renderer (renderer/dist), or unset it to build one',
      });
    return dir;
  }
  if (await isStale()) {
    await withBuildLock(async () => {
      // Another server may have built it while this one waited for the lock.
      if (!(await isStale())) return;
      const first = !existsSync(join(DIST, 'index.html'));
      log(`${first ? 'building the UI (first start' : 'rebuilding the UI (its sources changed'}, ~20 s)...`);
      await buildRenderer();
    });
  }
  return DIST;
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const fileInfo = (path: string): Promise<Stats | undefined> => stat(path).catch(() => undefined);

/**
 * Sends one UI file. `file` is relative to `dir` and already checked by request-guard's
 * safeRelativePath; a path that is not a file and has no extension is a client-side route and
 * gets index.html, a missing asset is a 404.
 */
export const serveRendererFile = async (
  req: IncomingMessage,
  res: ServerResponse,
  dir: string,
  file: string,
): Promise<void> => {
  const root = resolve(dir);
  let target = resolve(root, file || 'index.html');
  let info = target.startsWith(root + sep) ? await fileInfo(target) : undefined;
  if (!info?.isFile() && !extname(file)) {
    target = join(root, 'index.html');
    info = await fileInfo(target);
  }
  if (!info?.isFile()) {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Not Found\n');
    return;
  }
  res.setHeader('Content-Type', CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Content-Length', info.size);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(target), res);
};
