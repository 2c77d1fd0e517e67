// The kind preflight's judgement, against recorded real engine answers (engine down: the docker
// CLI's own output on a machine without an engine; /proc/sys/fs/inotify of such a machine) and
// hand-written ones in the Engine API's documented shapes (tests/fixtures/docker/README.md).
import { describe, expect, it } from 'vitest';
import { classifyEngineError, type EngineProbe } from '../../../core/backends/kind/engine-client.ts';
import { evaluatePreflight, kindNeeds, type PreflightInputs } from '../../../core/backends/kind/preflight.ts';
import { engineProvider, readInotify } from '../../../core/backends/kind/preflight-probe.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';
import { engineFrom, FIXTURES, LOCAL_SOCKET, readJson } from './helpers.ts';
import { join } from 'node:path';

const topology = await loadTopology();
const needs = kindNeeds(topology);
const inputs = (probe: EngineProbe, over: Partial<PreflightInputs> = {}): PreflightInputs => ({
  probe,
  cli: { name: 'docker', path: '/usr/bin/docker' },
  hostPlatform: 'linux',
  inotify: { maxUserWatches: 524288, maxUserInstances: 512 },
  port: { address: '127.0.0.1', port: 8080, free: true },
  disk: { path: '/var/lib/docker', freeBytes: 50 * 1024 ** 3 },
  needs,
  ...over,
});
const byId = (findings: ReturnType<typeof evaluatePreflight>, id: string) =>
  findings.find((f) => f.id === id);
const errors = (findings: ReturnType<typeof evaluatePreflight>) =>
  findings.filter((f) => f.severity === 'error');

describe('what the default topology needs from the engine', () => {
  it('counts 7 nodes and about 7 GiB, as kind’s quick start asks of Docker Desktop (6-8 GB)', () => {
    expect(needs).toMatchObject({ nodes: 7, workers: 6, minCpus: 2, wantCpus: 4 });
    expect(needs.memoryBytes / 1024 ** 3).toBe(7);
  });
});

describe('engine down (recorded docker CLI output)', () => {
  const recorded = readJson<{ exitCode: number; stderr: string; stdout: string }>(
    'docker',
    'engine-down',
    'docker-info-json.json',
  );
  it('the recording is what the docker CLI prints with no engine', () => {
    expect(recorded.exitCode).toBe(1);
    expect(recorded.stderr).toMatch(
      /^Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker\.sock\. Is the docker daemon running\?/,
    );
    expect(JSON.parse(recorded.stdout)).toMatchObject({
      ServerVersion: '',
      ClientInfo: { Version: '28.2.2' },
    });
  });

  it('is one error that says where no engine answers and how to start one', () => {
    const problem = classifyEngineError(new Error(recorded.stderr));
    expect(problem.kind).toBe('not-answering');
    const findings = evaluatePreflight(inputs({ ok: false, endpoint: LOCAL_SOCKET, problem }));
    expect(errors(findings)).toEqual([
      expect.objectContaining({
        id: 'engine',
        message: 'no Docker engine answers at unix:///var/run/docker.sock (the default socket)',
      }),
    ]);
    expect(byId(findings, 'engine')?.fix).toMatch(/systemctl start docker.*DOCKER_HOST/);
  });

  it.each([
    ['ENOENT', 'no-socket', /does not exist/, /start the engine/],
    ['ECONNREFUSED', 'refused', /refuses connections/, /start the engine/],
    ['EACCES', 'permission', /permission denied/, /usermod -aG docker/],
    ['ETIMEDOUT', 'timeout', /does not respond in time/, /restart/],
  ])('a dockerode %s error is %s, with its own fix', (code, kind, message, fix) => {
    const problem = classifyEngineError(
      Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code }),
    );
    expect(problem.kind).toBe(kind);
    const finding = byId(evaluatePreflight(inputs({ ok: false, endpoint: LOCAL_SOCKET, problem })), 'engine');
    expect(finding).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(message),
      fix: expect.stringMatching(fix),
    });
  });
});

describe('an engine that answers (hand-written Engine API answers)', () => {
  it('a healthy Linux engine passes with no error and no warning', () => {
    const findings = evaluatePreflight(inputs(engineFrom('linux-healthy')));
    expect(findings.filter((f) => f.severity !== 'ok')).toEqual([]);
    expect(byId(findings, 'engine')?.message).toMatch(
      /^Docker 28\.2\.2 answers at unix:\/\/\/var\/run\/docker\.sock/,
    );
  });

  it('Docker Desktop with 2 GiB and 2 CPUs: too little memory, fixed in Docker Desktop’s settings', () => {
    const findings = evaluatePreflight(
      inputs(engineFrom('desktop-too-little-memory'), { hostPlatform: 'darwin', inotify: undefined }),
    );
    expect(errors(findings).map((f) => f.id)).toEqual(['memory']);
    expect(byId(findings, 'memory')).toMatchObject({
      message:
        'the engine has 1.9 GiB of memory; 7 kind nodes with the shop and monitoring need about 7.0 GiB',
      fix: expect.stringMatching(
        /Docker Desktop more memory \(Settings → Resources → Memory: at least 7 GB\)/,
      ),
    });
    expect(byId(findings, 'cpus')).toMatchObject({ severity: 'warning' });
  });

  it('rootless Docker with cgroup v2 delegation is fine', () => {
    const findings = evaluatePreflight(inputs(engineFrom('rootless')));
    expect(errors(findings)).toEqual([]);
    expect(byId(findings, 'rootless')).toMatchObject({ severity: 'ok' });
  });

  it('rootless Docker without delegation is refused, as kind refuses it (Delegate=yes)', () => {
    const findings = evaluatePreflight(inputs(engineFrom('rootless-without-delegation')));
    expect(errors(findings).map((f) => f.id)).toEqual(['rootless-delegation']);
    expect(byId(findings, 'rootless-delegation')?.fix).toMatch(/kind\.sigs\.k8s\.io\/docs\/user\/rootless/);
  });

  it('cgroup v1 is refused: the kubelet of the pinned node image fails on it', () => {
    const findings = evaluatePreflight(inputs(engineFrom('cgroup-v1')));
    expect(errors(findings).map((f) => f.id)).toEqual(['cgroup']);
    expect(byId(findings, 'cgroup')?.message).toMatch(/failCgroupV1/);
  });

  it('Podman is recognised from its version components and needs the podman CLI', () => {
    const probe = engineFrom('podman-rootless', {
      host: 'unix:///run/user/1000/podman/podman.sock',
      source: "Podman's socket",
      provider: 'podman',
    });
    const findings = evaluatePreflight(inputs(probe, { cli: { name: 'podman' } }));
    expect(byId(findings, 'podman')).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/KIND_EXPERIMENTAL_PROVIDER=podman/),
    });
    expect(byId(findings, 'engine')?.message).toMatch(/^Podman 5\.5\.1 answers/);
    expect(errors(findings)).toEqual([
      expect.objectContaining({ id: 'cli', fix: expect.stringMatching(/install podman/) }),
    ]);
  });

  it('Podman behind a docker-looking socket still gets kind’s podman provider', () => {
    expect(engineProvider(engineFrom('podman-rootless'))).toBe('podman');
    expect(engineProvider(engineFrom('linux-healthy'))).toBe('docker');
  });

  it('a missing docker CLI, a taken port and a full disk are each an error with a fix', () => {
    const findings = evaluatePreflight(
      inputs(engineFrom('linux-healthy'), {
        cli: { name: 'docker' },
        port: { address: '127.0.0.1', port: 8080, free: false, problem: 'in use' },
        disk: { path: '/var/lib/docker', freeBytes: 2 * 1024 ** 3 },
      }),
    );
    expect(
      errors(findings)
        .map((f) => f.id)
        .sort(),
    ).toEqual(['cli', 'disk', 'port']);
    for (const f of errors(findings)) expect(f.fix).toBeTruthy();
    expect(byId(findings, 'port')?.fix).toMatch(/frontendAccess\.hostPort/);
    expect(byId(findings, 'disk')?.fix).toMatch(/docker system prune/);
  });
});

describe('inotify limits (real /proc values)', () => {
  it('reads this machine’s recorded /proc/sys/fs/inotify and warns with the sysctl fix', async () => {
    const inotify = await readInotify(join(FIXTURES, 'kind', 'inotify-this-machine'));
    expect(inotify).toEqual({ maxUserWatches: 192536, maxUserInstances: 128 });
    const finding = byId(evaluatePreflight(inputs(engineFrom('linux-healthy'), { inotify })), 'inotify');
    expect(finding).toMatchObject({
      severity: 'warning',
      fix: expect.stringMatching(
        /sysctl fs\.inotify\.max_user_watches=524288 fs\.inotify\.max_user_instances=512/,
      ),
    });
    expect(finding?.message).toMatch(/max_user_instances=128 \(want 512\)/);
  });

  it('Ubuntu’s defaults warn, kind’s recommended values pass, and other hosts are not checked', async () => {
    const low = await readInotify(join(FIXTURES, 'kind', 'inotify-ubuntu-default'));
    expect(
      byId(evaluatePreflight(inputs(engineFrom('linux-healthy'), { inotify: low })), 'inotify')?.severity,
    ).toBe('warning');
    const tuned = await readInotify(join(FIXTURES, 'kind', 'inotify-tuned'));
    expect(
      byId(evaluatePreflight(inputs(engineFrom('linux-healthy'), { inotify: tuned })), 'inotify')?.severity,
    ).toBe('ok');
    expect(
      byId(
        evaluatePreflight(inputs(engineFrom('linux-healthy'), { hostPlatform: 'darwin', inotify: low })),
        'inotify',
      ),
    ).toBeUndefined();
  });

  const notLinux = process.platform !== 'linux';
  it.skipIf(notLinux)(
    notLinux
      ? `skipped on ${process.platform}: the live /proc/sys/fs/inotify exists only on Linux`
      : 'the live /proc of this host reads as numbers',
    async () => {
      const live = await readInotify();
      expect(live?.maxUserWatches).toBeGreaterThan(0);
      expect(live?.maxUserInstances).toBeGreaterThan(0);
    },
  );
});
