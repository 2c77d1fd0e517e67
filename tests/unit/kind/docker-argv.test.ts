// The container CLI calls (node failure is `docker pause`, heal is `docker unpause`): their argv,
// and proof that the real docker client parses them, stopping only at the missing engine.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { containerArgs, containerCli } from '../../../core/backends/kind/container-cli.ts';
import { clusterFilter } from '../../../core/backends/kind/containers.ts';
import { findOnPath } from '../../../core/exec/find-on-path.ts';
import { NO_ENGINE_HOST, readJson } from './helpers.ts';

const docker = await findOnPath('docker');

describe('docker calls', () => {
  it('pause and unpause name the node container; podman takes the same argv', () => {
    expect([containerCli('docker'), ...containerArgs.pause('kartstream-worker2')]).toEqual([
      'docker',
      'pause',
      'kartstream-worker2',
    ]);
    expect([containerCli('podman'), ...containerArgs.unpause('kartstream-worker2')]).toEqual([
      'podman',
      'unpause',
      'kartstream-worker2',
    ]);
  });

  it('containers are found by kind’s cluster label, as `kind get nodes` finds them', () => {
    expect(clusterFilter('kartstream')).toEqual({ label: ['io.x-k8s.kind.cluster=kartstream'] });
  });

  it('the recorded `docker pause` with no engine fails at the daemon, not at the argv', () => {
    const recorded = readJson<{ command: string[]; exitCode: number; stderr: string }>(
      'docker',
      'engine-down',
      'docker-pause.json',
    );
    expect(recorded.command).toEqual(['docker', ...containerArgs.pause('kartstream-worker')]);
    expect(recorded).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^Cannot connect to the Docker daemon/),
    });
  });

  it.skipIf(!docker)('[needs the docker CLI] the real docker client accepts pause and unpause', async () => {
    for (const args of [containerArgs.pause('lab-worker'), containerArgs.unpause('lab-worker')]) {
      const result = await execa('docker', args, { reject: false, env: { DOCKER_HOST: NO_ENGINE_HOST } });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/Cannot connect to the Docker daemon at unix:\/\/\/nonexistent/);
      expect(result.stderr).not.toMatch(/requires (exactly|at least)|unknown flag|Usage:/);
    }
    // Control: a wrong argv is a usage error, before the daemon.
    expect(
      (await execa('docker', ['pause'], { reject: false, env: { DOCKER_HOST: NO_ENGINE_HOST } })).stderr,
    ).toMatch(/requires at least 1 argument/);
  });
});
