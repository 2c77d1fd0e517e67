// `kartstream serve --name LAB --share --address ADDRESS` as a user starts it, for the sharing
// tests: a stub UI (the tests are about the server, not the page), and the three lines the
// command prints first: the loopback URL, the share origin and the certificate's fingerprint.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { REPO } from './lab-env.ts';

export interface SharedServe {
  child: ResultPromise<{ buffer: false; reject: false }>;
  /** The first three lines printed, as printed. */
  lines: string[];
  /** http://127.0.0.1:PORT/t/TOKEN/ */
  loopbackUrl: string;
  /** https://ADDRESS:PORT, or '' when the second line is not the share line. */
  shareOrigin: string;
  /** The certificate's SHA-256 as printed (AA:BB:…), or '' when missing. */
  fingerprint: string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

export const startShareServe = async (options: {
  lab: string;
  address: string;
  /** KARTSTREAM_HOME and KARTSTREAM_RENDERER_DIR (where the stub UI is written) at least. */
  env: { KARTSTREAM_HOME: string; KARTSTREAM_RENDERER_DIR: string } & Record<string, string>;
}): Promise<SharedServe> => {
  const ui = options.env.KARTSTREAM_RENDERER_DIR;
  mkdirSync(ui, { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>KartStream</title><div id="root"></div>');
  const child = execa(
    process.execPath,
    [
      join(REPO, 'bin/kartstream.js'),
      'serve',
      '--name',
      options.lab,
      '--share',
      '--address',
      options.address,
    ],
    { cwd: REPO, env: options.env, buffer: false, reject: false },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
      if (stdout.split('\n').length > 3) resolve();
    });
    void child.then(() => reject(new Error(`serve exited before sharing:\n${stderr}`)));
  });
  const lines = stdout.trimEnd().split('\n').slice(0, 3);
  return {
    child,
    lines,
    loopbackUrl: lines[0]?.startsWith('KartStream UI: ') ? lines[0].slice('KartStream UI: '.length) : '',
    shareOrigin: /^KartStream share: (https:\/\/\S+) \(lab .+\)$/.exec(lines[1] ?? '')?.[1] ?? '',
    fingerprint: /^Certificate SHA-256: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/.exec(lines[2] ?? '')?.[1] ?? '',
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
};
