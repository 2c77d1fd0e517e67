// The life of a sim lab as a user lives it: up, up again, a control plane that dies during up,
// down. After each, no process of the lab may be left running and no file left behind.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { present, waitFor } from '../helpers/wait.ts';
import { isAlive } from '../../core/exec/process-alive.ts';
import { labProcesses } from '../../core/backends/sim/kwokctl.ts';
import { simBinaryPath } from '../../core/backends/sim/binaries.ts';
import { cli, processesMentioning, REPO, useTempHome } from './helpers/lab-env.ts';

describe('sim lab life cycle', () => {
  const temp = useTempHome();
  afterAll(() => temp.cleanup());
  const labPath = (name: string) => join(temp.home, 'labs', name);

  it('converges when `up` runs again on a running lab, without recreating it', async () => {
    expect((await cli(['up', '--name', 'twice'])).exitCode).toBe(0);
    const before = await labProcesses({ dir: labPath('twice'), name: 'twice' });
    const again = await cli(['up', '--name', 'twice']);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain('Use the running cluster');
    const after = await labProcesses({ dir: labPath('twice'), name: 'twice' });
    expect(after.map((p) => p.pid).sort()).toEqual(before.map((p) => p.pid).sort());
  });

  it('`down` stops every process of the lab and removes all its files', async () => {
    const processes = await labProcesses({ dir: labPath('twice'), name: 'twice' });
    expect(processes.map((p) => p.component).sort()).toEqual(
      [
        'etcd',
        'kube-apiserver',
        'kube-controller-manager',
        'kube-scheduler',
        'kwok-controller',
        // Optional: a lab runs metrics-server when it is installed (docs/metrics.md).
        ...(existsSync(simBinaryPath('metrics-server')) ? ['metrics-server'] : []),
      ].sort(),
    );
    const down = await cli(['down', '--name', 'twice']);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toContain('lab twice is stopped');
    for (const p of processes) expect(isAlive(p.pid), `${p.component} still alive`).toBe(false);
    expect(existsSync(labPath('twice'))).toBe(false);
    expect(await processesMentioning(labPath('twice'))).toEqual([]);
    const again = await cli(['down', '--name', 'twice']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to do');
  });

  it('fails clearly when the apiserver dies during `up`, leaves nothing running, and `up` again converges', async () => {
    const up = execa('node', [join(REPO, 'bin/kartstream.js'), 'up', '--name', 'crash'], {
      cwd: REPO,
      reject: false,
      env: process.env,
    });
    let upEnded = false;
    void up.then(() => (upEnded = true));
    // Kill the apiserver as soon as the lab's kubeconfig exists (the control plane is up and
    // `up` goes on to create nodes and deploy the shop); an `up` that ends first ends the wait.
    const apiserver = await waitFor(
      "the crash lab's kube-apiserver running with its kubeconfig written (or `up` ended)",
      async () =>
        upEnded
          ? 'up ended first'
          : (await labProcesses({ dir: labPath('crash'), name: 'crash' })).find(
              (p) =>
                p.component === 'kube-apiserver' &&
                isAlive(p.pid) &&
                existsSync(join(labPath('crash'), 'kubeconfig')),
            ),
      present,
      120_000,
      { intervalMs: 100 },
    );
    if (typeof apiserver === 'string')
      throw new Error(`\`up\` ended before its apiserver could be killed:\n${String((await up).stderr)}`);
    process.kill(apiserver.pid, 'SIGKILL');
    const result = await up;
    expect(result.exitCode).toBe(1);
    const stderr = String(result.stderr);
    expect(stderr).toMatch(/kube-apiserver \(pid \d+\) is not running/);
    expect(stderr).toContain('the half-created lab was stopped and removed');
    const logLine = /^log: (.+)$/m.exec(stderr);
    expect(logLine?.[1] && existsSync(logLine[1])).toBeTruthy();
    expect(await processesMentioning(labPath('crash'))).toEqual([]);
    expect(existsSync(labPath('crash'))).toBe(false);

    const retry = await cli(['up', '--name', 'crash', '-o', 'json']);
    expect(retry.exitCode).toBe(0);
    expect((JSON.parse(retry.stdout) as { ready: boolean }).ready).toBe(true);
    expect((await cli(['down', '--name', 'crash'])).exitCode).toBe(0);
  });
});
