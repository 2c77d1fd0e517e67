// Starts a long-lived process that outlives the command that started it (a lab's Prometheus,
// Alertmanager, agent): detached, output to a log file, pid kept in a file for `down`.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { KartStreamError } from '../errors/kartstream-error.ts';

export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  pidFile: string;
  env?: NodeJS.ProcessEnv;
}

export const startDaemon = async (spec: DaemonSpec): Promise<number> => {
  const log = openSync(spec.logFile, 'a', 0o600);
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: spec.env ?? process.env,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid ?? 0));
      child.once('error', (error) =>
        reject(
          new KartStreamError(
            'command-failed',
            `failed to start ${spec.name} (${spec.command}): ${error.message}`,
            { cause: error, logPath: spec.logFile },
          ),
        ),
      );
    });
    child.unref();
    await writeFile(spec.pidFile, `${pid}\n`, { mode: 0o600 });
    return pid;
  } finally {
    closeSync(log);
  }
};

// Waits until `url` answers 2xx, or fails naming the process and its log.
export const waitHttpReady = async (
  name: string,
  url: string,
  logFile: string,
  timeoutMs = 30_000,
  isRunning?: () => boolean,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isRunning && !isRunning()) break;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new KartStreamError('command-failed', `${name} did not become ready at ${url}`, {
    fix: `see its log: ${logFile}`,
    logPath: logFile,
  });
};
