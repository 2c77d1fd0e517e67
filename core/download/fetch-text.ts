// Small files (checksum lists) into memory, with the same proxy, redirect, retry and timeout
// rules as the file downloader, and the same "failed to download <url>: HTTP <status>" errors.
import { KartStreamError } from '../errors/kartstream-error.ts';
import { httpGet } from './http-get.ts';
import { HttpStatusError, withRetries } from './retry.ts';

export interface FetchOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Refuse bodies larger than this (default 64 MB). */
  maxBytes?: number;
}

/** The body of `url` as bytes; throws 'install-failed' naming the URL on any failure. */
export const fetchBuffer = async (url: string, options: FetchOptions = {}): Promise<Buffer> => {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  try {
    return await withRetries(
      async () => {
        const { response } = await httpGet(url, {
          timeoutMs: options.timeoutMs ?? 30_000,
          signal: options.signal,
          env: options.env,
        });
        if (response.statusCode !== 200) {
          response.resume();
          throw new HttpStatusError(url, response.statusCode ?? 0);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) {
            response.destroy();
            throw new KartStreamError('install-failed', `${url} is larger than ${maxBytes} bytes`);
          }
          chunks.push(chunk as Buffer);
        }
        return Buffer.concat(chunks);
      },
      {
        retries: options.retries ?? 4,
        backoffMs: options.backoffMs ?? 1000,
        signal: options.signal,
        onRetry: (error, attempt, waitMs) =>
          options.log?.(
            `retry ${attempt} of ${url} in ${Math.round(waitMs / 100) / 10} s: ${(error as Error).message}`,
          ),
      },
    );
  } catch (error) {
    if (options.signal?.aborted || error instanceof KartStreamError) throw error;
    if (error instanceof HttpStatusError)
      throw new KartStreamError('install-failed', error.message, { cause: error });
    throw new KartStreamError('install-failed', `failed to download ${url}`, {
      cause: error,
      details: [error instanceof Error ? error.message : String(error)],
      fix: 'check the network (and HTTPS_PROXY / NO_PROXY), or set KARTSTREAM_RELEASE_MIRROR to a mirror you can reach',
    });
  }
};

/** The body of `url` as UTF-8 text. */
export const fetchText = async (url: string, options: FetchOptions = {}): Promise<string> =>
  (await fetchBuffer(url, options)).toString('utf8');
