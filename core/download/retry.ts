// Retries for the failures that pass: 5xx answers, connection resets, timeouts and DNS hiccups,
// with exponential backoff. A 4xx, a refused connection or an unknown host fail at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { NetworkError } from './http-get.ts';

/** An HTTP answer that is not the file: carries the status and the URL asked for. */
export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`failed to download ${url}: HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** True for failures worth another try. */
export const isTransient = (error: unknown): boolean => {
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 429;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && TRANSIENT_CODES.has(code)) return true;
  if (error instanceof NetworkError) return false;
  return /aborted|socket hang up|premature close/i.test(error instanceof Error ? error.message : '');
};

export interface RetryOptions {
  /** Tries after the first one. */
  retries: number;
  /** The first wait; each later one doubles (capped at 30 s). */
  backoffMs: number;
  signal?: AbortSignal;
  onRetry?: (error: unknown, attempt: number, waitMs: number) => void;
}

/** Runs `work` until it succeeds, fails for good, or runs out of tries. */
export const withRetries = async <T>(
  work: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      if (options.signal?.aborted || attempt >= options.retries || !isTransient(error)) throw error;
      const waitMs = Math.min(options.backoffMs * 2 ** attempt, 30_000);
      options.onRetry?.(error, attempt + 1, waitMs);
      await sleep(waitMs, undefined, { signal: options.signal });
    }
  }
};
