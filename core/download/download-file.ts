// The one downloader: streams a URL to `<dest>.part`, resumes a partial file with an HTTP Range
// request (also across runs), retries what passes, reports progress, checks the sha256 and only
// then renames the file into place. A mismatch removes the download and names both digests.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { sha256File } from './checksums.ts';
import { httpGet, NetworkError } from './http-get.ts';
import type { DownloadProgress } from './progress.ts';
import { HttpStatusError, withRetries } from './retry.ts';
import { freeBytes } from './disk-space.ts';
import { formatBytes } from './progress.ts';

export interface DownloadFileOptions {
  url: string;
  dest: string;
  /** The digest the file must have; without it the file is kept unchecked (the caller checks). */
  sha256?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Minimum milliseconds between two progress reports (default 1000). */
  progressEveryMs?: number;
  log?: (line: string) => void;
  /** Milliseconds of silence before a try counts as timed out (default 30 s). */
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface DownloadedFile {
  path: string;
  url: string;
  sha256: string;
  bytes: number;
  /** True if some of it came from an earlier, interrupted try. */
  resumed: boolean;
}

const sizeOf = async (path: string): Promise<number> => (await stat(path).catch(() => undefined))?.size ?? 0;

// One try: continue `part` from where it ends. Returns when the server has sent the whole file.
const fetchInto = async (
  part: string,
  options: DownloadFileOptions,
  state: { resumed: boolean },
): Promise<void> => {
  const timeoutMs = options.timeoutMs ?? 30_000;
  let offset = await sizeOf(part);
  const { response, url } = await httpGet(options.url, {
    headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
    signal: options.signal,
    timeoutMs,
    env: options.env,
  });
  const status = response.statusCode ?? 0;
  if (status === 416 && offset > 0) {
    // The part may already be whole: "bytes */<size>" equal to what we have.
    response.resume();
    const total = Number(/\/(\d+)$/.exec(response.headers['content-range'] ?? '')?.[1]);
    if (total === offset) return;
    await truncate(part, 0);
    throw new NetworkError(url, `${url}: the partial download did not fit; starting over`, 'ECONNRESET');
  }
  if (status !== 200 && status !== 206) {
    response.resume();
    throw new HttpStatusError(options.url, status);
  }
  const rangeStart = Number(/^bytes (\d+)-/.exec(response.headers['content-range'] ?? '')?.[1] ?? 0);
  if (status === 200 || rangeStart !== offset) {
    offset = 0;
    await truncate(part, 0).catch(() => undefined);
  } else if (offset > 0) {
    state.resumed = true;
    options.log?.(`resuming ${url} at ${formatBytes(offset)}`);
  }
  const length = Number(response.headers['content-length'] ?? NaN);
  const total = Number.isFinite(length) ? offset + length : undefined;
  if (total !== undefined) {
    const free = await freeBytes(dirname(part));
    if (free < total - offset) {
      response.destroy();
      throw new KartStreamError('install-failed', `not enough disk space in ${dirname(part)} for ${url}`, {
        details: [`needs ${formatBytes(total - offset)}, ${formatBytes(free)} free`],
      });
    }
  }

  const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
  const started = Date.now();
  let received = offset;
  let lastReport = started; // the first report comes after one interval (or at the end)
  const report = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastReport < (options.progressEveryMs ?? 1000)) return;
    lastReport = now;
    const bytesPerSecond = ((received - offset) * 1000) / Math.max(now - started, 1);
    const secondsLeft =
      total !== undefined && bytesPerSecond > 0 ? (total - received) / bytesPerSecond : undefined;
    options.onProgress?.({ url: options.url, received, total, bytesPerSecond, secondsLeft });
  };
  try {
    for await (const chunk of response) {
      const buffer = chunk as Buffer;
      received += buffer.length;
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      report(false);
    }
    if (!response.complete) throw new NetworkError(url, `${url}: the connection closed early`, 'ECONNRESET');
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (error instanceof NetworkError || error instanceof KartStreamError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new NetworkError(url, `${url}: ${(error as Error).message}`, code ?? 'ECONNRESET', {
      cause: error,
    });
  } finally {
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
  if (total !== undefined && received !== total)
    throw new NetworkError(url, `${url}: got ${received} of ${total} bytes`, 'ECONNRESET');
  report(true);
};

// The KartStreamError a caller sees for a failed download.
const downloadFailure = (url: string, error: unknown): KartStreamError => {
  if (error instanceof KartStreamError) return error;
  if (error instanceof HttpStatusError)
    return new KartStreamError('install-failed', error.message, {
      cause: error,
      details: error.status === 404 ? [`${url} does not exist (on this mirror or origin)`] : [],
    });
  const message = error instanceof Error ? error.message : String(error);
  return new KartStreamError('install-failed', `failed to download ${url}`, {
    cause: error,
    details: [message.startsWith(url) ? message.slice(url.length).replace(/^:\s*/, '') : message],
    fix: 'check the network (and HTTPS_PROXY / NO_PROXY), or set KARTSTREAM_RELEASE_MIRROR to a mirror you can reach',
  });
};

/** Downloads `url` to `dest` (atomically); checks `sha256` if given. */
export const downloadFile = async (options: DownloadFileOptions): Promise<DownloadedFile> => {
  const part = `${options.dest}.part`;
  await mkdir(dirname(options.dest), { recursive: true });
  const state = { resumed: false };
  try {
    await withRetries(() => fetchInto(part, options, state), {
      retries: options.retries ?? 4,
      backoffMs: options.backoffMs ?? 1000,
      signal: options.signal,
      onRetry: (error, attempt, waitMs) =>
        options.log?.(
          `retry ${attempt} of ${options.url} in ${Math.round(waitMs / 100) / 10} s: ${(error as Error).message}`,
        ),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw downloadFailure(options.url, error);
  }
  const sha256 = await sha256File(part);
  const bytes = await sizeOf(part);
  if (options.sha256 && sha256 !== options.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new KartStreamError(
      'install-failed',
      `${basename(options.dest)} does not match its published sha256; the download was removed`,
      {
        details: [
          `url:      ${options.url}`,
          `expected: ${options.sha256.toLowerCase()}`,
          `got:      ${sha256}`,
        ],
        fix: 'nothing was installed; try again later, or use another mirror (KARTSTREAM_RELEASE_MIRROR)',
      },
    );
  }
  await rename(part, options.dest);
  return { path: options.dest, url: options.url, sha256, bytes, resumed: state.resumed };
};
