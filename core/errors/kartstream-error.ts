// One error type for the engine: a stable `code` to tell failures apart, a message that says
// what went wrong, and an optional `fix` that tells the user what to do about it.
export type ErrorCode =
  | 'invalid-input'
  | 'invalid-topology'
  | 'invalid-manifests'
  | 'not-found'
  | 'missing-binary'
  | 'install-failed'
  | 'command-failed'
  | 'backend-unavailable'
  | 'cluster-failed'
  | 'timeout'
  | 'canceled'
  | 'conflict'
  /** Reading or writing KartStream's own files (records, logs) failed. */
  | 'io-failed'
  /** A record KartStream wrote (lab, promote, task) cannot be parsed. */
  | 'corrupt-record';

export interface KartStreamErrorOptions {
  fix?: string;
  cause?: unknown;
  /** Extra lines (e.g. every validation problem), printed under the message. */
  details?: string[];
  /** Path of a log that holds the full story. */
  logPath?: string;
}

export class KartStreamError extends Error {
  readonly code: ErrorCode;
  readonly fix?: string;
  readonly details: string[];
  logPath?: string;

  constructor(code: ErrorCode, message: string, options: KartStreamErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'KartStreamError';
    this.code = code;
    this.fix = options.fix;
    this.details = options.details ?? [];
    this.logPath = options.logPath;
  }
}

// True for any KartStreamError, also one that crossed a module boundary.
export const isKartStreamError = (error: unknown): error is KartStreamError =>
  error instanceof Error && error.name === 'KartStreamError' && 'code' in error;

// The text a user sees for an error: message, details, the fix and where the log is.
export const describeError = (error: unknown): string => {
  if (!isKartStreamError(error)) return error instanceof Error ? error.message : String(error);
  const lines = [error.message, ...error.details.map((d) => `  ${d}`)];
  if (error.fix) lines.push(`fix: ${error.fix}`);
  if (error.logPath) lines.push(`log: ${error.logPath}`);
  return lines.join('\n');
};
