// The CLI killed (SIGKILL) in the middle of `up` and `reset`, and two commands on one lab at once,
// through the real CLI on real sim labs. Each kill lands at a point the test waits for (a step
// printed, a file written), never after a fixed sleep. After a kill: `status` never shows the
// half-created lab as running, the lab's record still parses, and the next command converges.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { present, waitFor } from '../helpers/wait.ts';
import { isAlive } from '../../core/exec/process-alive.ts';
import { labProcesses } from '../../core/backends/sim/kwokctl.ts';
import { cli, processesMentioning, REPO, useTempHome } from './helpers/lab-env.ts';

interface Started {
  child: ResultPromise;
  /** Everything the command wrote on stderr so far. */
  stderr: () => string;
  ended: () => boolean;
}

describe('the CLI killed mid-command, and two commands on one lab', () => {
  const temp = useTempHome();
  const started: Started[] = [];
  const labPath = (name: string) => join(temp.home, 'labs', name);
  const lockPath = (name: string) => join(temp.home, 'locks', `${name}.lock`);
  const readRecord = (name: string) =>
    JSON.parse(readFileSync(join(labPath(name), 'lab.json'), 'utf8')) as { state: string; name: string };

  // The CLI in the background, as a user's second terminal would run it.
  const start = (args: string[]): Started => {
    const child = execa(process.execPath, [join(REPO, 'bin/kartstream.js'), ...args], {
      cwd: REPO,
      env: process.env,
      reject: false,
    });
    let stderr = '';
    let ended = false;
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void child.then(() => (ended = true));
    const handle = { child, stderr: () => stderr, ended: () => ended };
    started.push(handle);
    return handle;
  };

  // Waits until `line` is printed, then kills the CLI with SIGKILL (no handler of its runs).
  const killWhen = async (run: Started, what: string, ready: () => boolean): Promise<void> => {
    const seen = await waitFor(
      `${what} (or the command ended)`,
      () => (run.ended() ? 'ended' : ready() ? 'ready' : undefined),
      present,
      240_000,
      { intervalMs: 50 },
    );
    if (seen === 'ended') throw new Error(`the command ended before ${what}:\n${run.stderr()}`);
    run.child.kill('SIGKILL');
    await run.child;
  };

  afterAll(async () => {
    for (const run of started) if (!run.ended()) run.child.kill('SIGKILL');
    for (const name of ['crash-up', 'crash-early']) await cli(['down', '--name', name]);
    temp.cleanup();
  }, 180_000);

  it('a second `up` and a `down` during `up` are refused naming the running `up`; `up` killed mid-deploy leaves a lab `status` calls half-created, and `up` again makes it whole', async () => {
    const up = start(['up', '--name', 'crash-up']);
    await waitFor(
      'the lab record and the lock of the running `up`',
      () => existsSync(join(labPath('crash-up'), 'lab.json')) && existsSync(lockPath('crash-up')),
      (v) => v,
      240_000,
      { intervalMs: 50 },
    );
    const lock = JSON.parse(readFileSync(lockPath('crash-up'), 'utf8')) as { pid: number; command: string };
    expect(lock).toMatchObject({ pid: up.child.pid, command: 'up' });
    expect(statSync(lockPath('crash-up')).mode & 0o777).toBe(0o600);

    // Paused (SIGSTOP) while the others try, so it surely still runs; it goes on after.
    up.child.kill('SIGSTOP');
    const second = await cli(['up', '--name', 'crash-up']);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(`lab crash-up is busy: \`up\` (pid ${up.child.pid}) is running`);
    expect(second.stderr).toContain(`kill ${up.child.pid}`);
    const down = await cli(['down', '--name', 'crash-up']);
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain(`lab crash-up is busy: \`up\` (pid ${up.child.pid})`);
    expect(readRecord('crash-up')).toMatchObject({ name: 'crash-up', state: 'creating' });
    up.child.kill('SIGCONT');

    // Killed once the cluster runs and the shop is being deployed.
    await killWhen(up, 'the `Deploy the shop` step', () => up.stderr().includes('Deploy the shop'));
    expect(readRecord('crash-up').state).toBe('creating');
    const status = await cli(['status', '--name', 'crash-up', '-o', 'json']);
    expect(status.exitCode).toBe(1);
    expect(status.stdout).toBe('');
    expect(status.stderr).toContain('lab crash-up was half-created');
    expect(status.stderr).toContain('npx kartstream up --name crash-up');
    expect(status.stderr).toContain('npx kartstream down --name crash-up');

    const before = (await labProcesses({ dir: labPath('crash-up'), name: 'crash-up' })).map((p) => p.pid);
    const again = await cli(['up', '--name', 'crash-up', '-o', 'json']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('Remove what is left of an `up` that was interrupted');
    expect((JSON.parse(again.stdout) as { ready: boolean }).ready).toBe(true);
    expect(readRecord('crash-up').state).toBe('ready');
    for (const pid of before) expect(isAlive(pid), `old control-plane pid ${pid}`).toBe(false);
    expect(existsSync(lockPath('crash-up'))).toBe(false);
    const ready = await cli(['status', '--name', 'crash-up', '-o', 'json']);
    expect(ready.exitCode, ready.stderr).toBe(0);
    expect((JSON.parse(ready.stdout) as { ready: boolean }).ready).toBe(true);
  }, 600_000);

  it('a second `reset` during `reset` is refused; `reset` killed mid-way leaves a stale lock the next `reset` takes over, and the lab ends at its baseline', async () => {
    // The lab is away from its baseline, so reset has work to do.
    const failed = await cli(['node', 'fail', 'backend-1', '--name', 'crash-up']);
    expect(failed.exitCode, failed.stderr).toBe(0);
    const reset = start(['reset', '--name', 'crash-up']);
    await waitFor(
      'the lock of the running `reset`',
      () => {
        try {
          return (JSON.parse(readFileSync(lockPath('crash-up'), 'utf8')) as { pid: number }).pid;
        } catch {
          return undefined;
        }
      },
      (pid) => pid === reset.child.pid,
      60_000,
      { intervalMs: 20 },
    );
    reset.child.kill('SIGSTOP');
    const second = await cli(['reset', '--name', 'crash-up']);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(`lab crash-up is busy: \`reset\` (pid ${reset.child.pid}) is running`);
    reset.child.kill('SIGCONT');

    // Killed after its first action is done (a line of its progress printed).
    await killWhen(reset, 'the first action of `reset`', () => /^ {2}\S/m.test(reset.stderr()));
    expect(existsSync(lockPath('crash-up'))).toBe(true);
    expect(readRecord('crash-up').state).toBe('ready');
    const again = await cli(['reset', '--name', 'crash-up']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('lab crash-up is back at its baseline');
    expect(existsSync(lockPath('crash-up'))).toBe(false);
    const status = await cli(['status', '--name', 'crash-up', '-o', 'json']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { ready: boolean }).ready).toBe(true);
  }, 300_000);

  it('`up` killed while its cluster is being created: `up` again converges, `down` leaves nothing', async () => {
    const up = start(['up', '--name', 'crash-early', '--no-monitoring']);
    await killWhen(up, 'the `Create the sim cluster` step', () =>
      up.stderr().includes('Create the sim cluster'),
    );
    const again = await cli(['up', '--name', 'crash-early', '--no-monitoring', '-o', 'json']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { ready: boolean }).ready).toBe(true);
    const down = await cli(['down', '--name', 'crash-early']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(existsSync(labPath('crash-early'))).toBe(false);
    expect(await processesMentioning(labPath('crash-early'))).toEqual([]);
  }, 600_000);
});
