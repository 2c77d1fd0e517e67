// Test helpers for real sim labs: a private KARTSTREAM_HOME per test file, the real CLI run as a
// user would (node bin/kartstream.js), and kubectl from PATH as an independent client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export const REPO = join(import.meta.dirname, '../../..');

// A fresh state dir for this test file; returns a cleanup.
export const useTempHome = (): { home: string; cleanup: () => void } => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-test-'));
  process.env.KARTSTREAM_HOME = home;
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
};

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// Runs the kartstream CLI in a child process, with the test's environment.
export const cli = async (
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> => {
  const result = await execa(process.execPath, [join(REPO, 'bin/kartstream.js'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    reject: false,
    timeout: 600_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
};

// kubectl from PATH (not the lab's own build): an independent client of the lab's API.
export const kubectlJson = async <T>(kubeconfig: string, args: string[]): Promise<T> => {
  const result = await execa('kubectl', ['--kubeconfig', kubeconfig, ...args, '-o', 'json'], {
    timeout: 60_000,
  });
  return JSON.parse(String(result.stdout)) as T;
};

// Pids whose command line mentions `needle` (e.g. a lab's directory): orphan detection.
export const processesMentioning = async (needle: string): Promise<string[]> => {
  const result = await execa('ps', ['-eo', 'pid=,args='], { reject: false });
  return String(result.stdout)
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'));
};
