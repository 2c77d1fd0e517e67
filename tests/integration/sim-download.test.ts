// `kartstream sim install` without Go, through the real CLI, against a loopback release mirror
// (KARTSTREAM_RELEASE_MIRROR) laid out like dl.k8s.io and GitHub releases and built from the real
// binaries the global setup provisioned. A cut connection resumes with Range, 5xx answers are
// retried, a tampered byte installs nothing, a 404 names the URL, and a bundle made from the
// install imports into an empty cache with no mirror at all. No internet is needed.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isOptionalBinary,
  REQUIRED_SIM_BINARY_NAMES,
  requireSimBinaries,
  SIM_BINARY_NAMES,
  type SimBinaryName,
  type SimBinaryPaths,
} from '../../core/backends/sim/binaries.ts';
import { releaseArtifact, simPlatform } from '../../core/backends/sim/release-artifacts.ts';
import type { DoctorReport } from '../../core/doctor/doctor-report.ts';
import { envWithoutGo } from '../helpers/env-without-go.ts';
import {
  buildMirrorTree,
  mirrorPath,
  startMirrorServer,
  type MirrorServer,
} from '../helpers/release-mirror.ts';

const CLI = resolve(import.meta.dirname, '../../bin/kartstream.js');
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe.runIf(process.platform === 'linux')('sim install from a release mirror, without Go', () => {
  let dir: string;
  let mirror: MirrorServer;
  let real: SimBinaryPaths;
  let baseEnv: NodeJS.ProcessEnv;
  let caches = 0;
  const freshEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    caches += 1;
    return { ...baseEnv, KARTSTREAM_CACHE: join(dir, `cache-${caches}`), ...extra };
  };
  const kartstream = (args: string[], env: NodeJS.ProcessEnv) =>
    execa(process.execPath, [CLI, ...args], { env, extendEnv: false, reject: false, timeout: 300_000 });
  const originUrl = (name: SimBinaryName) => {
    const r = releaseArtifact(name, simPlatform(), baseEnv);
    if (!r.ok) throw new Error(r.reason);
    return r.artifact;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kartstream-mirror-'));
    real = await requireSimBinaries();
    const kwokEnv = await buildMirrorTree(join(dir, 'mirror'), real);
    mirror = await startMirrorServer(join(dir, 'mirror'));
    baseEnv = await envWithoutGo({
      ...kwokEnv,
      KARTSTREAM_HOME: join(dir, 'home'),
      KARTSTREAM_RELEASE_MIRROR: mirror.url,
    });
  });
  afterAll(async () => {
    await mirror?.close();
    await rm(dir, { recursive: true, force: true });
  });

  let installedCache: string;
  it('downloads all seven, resuming a cut connection and retrying 5xx; doctor shows the provenance', async () => {
    const apiserver = mirrorPath(originUrl('kube-apiserver').url);
    const sums = mirrorPath((originUrl('etcd').checksum as { url: string }).url);
    mirror.cut.add(apiserver);
    mirror.fail.set(sums, 2);
    const env = freshEnv();
    installedCache = env.KARTSTREAM_CACHE ?? '';
    const started = Date.now();
    const result = await kartstream(['sim', 'install'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(result.stdout).toContain(
      `downloaded ${REQUIRED_SIM_BINARY_NAMES.join(', ')} into ${join(installedCache, 'bin')}`,
    );
    // metrics-server has no release binaries and there is no Go here: left out, not a failure.
    expect(result.stdout).toMatch(/left out metrics-server: building it needs Go ≥ 1\.26/);
    expect(result.stderr).toMatch(/downloading kube-apiserver: \d+ MB of \d+ MB, [\d.]+ [kMG]?B\/s/);
    expect(result.stderr).not.toMatch(/\] build /);
    const apiserverRequests = mirror.requests.filter((r) => r.path === apiserver);
    expect(apiserverRequests.map((r) => r.range !== undefined)).toEqual([false, true]);
    expect(mirror.requests.filter((r) => r.path === sums)).toHaveLength(3);
    for (const name of REQUIRED_SIM_BINARY_NAMES) {
      const installed = join(
        installedCache,
        'bin',
        (await readdir(join(installedCache, 'bin'))).find((d) =>
          existsSync(join(installedCache, 'bin', d, name)),
        ) ?? '',
        name,
      );
      expect(await sha256(installed), name).toBe(await sha256(real[name as keyof SimBinaryPaths] ?? ''));
      expect(result.stdout).toMatch(
        new RegExp(`${name}\\s+download\\s+sha256 [0-9a-f]{16}… downloaded from ${mirror.url}/`),
      );
    }

    const doctor = await kartstream(['doctor', '-o', 'json'], env);
    expect(doctor.exitCode, doctor.stderr).toBe(0);
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    expect(report.conclusion.sim.ready).toBe(true);
    expect(report.simProvenance.map((r) => [r.name, r.source])).toEqual(
      SIM_BINARY_NAMES.map((n) => [n, isOptionalBinary(n) ? 'unknown' : 'download']),
    );
    const etcdRow = report.simProvenance.find((r) => r.name === 'etcd');
    expect(etcdRow?.from).toBe(`${mirror.url}${mirrorPath(originUrl('etcd').url)}`);
    expect(etcdRow?.sha256).toBe(await sha256(real.etcd));
    const text = await kartstream(['doctor'], env);
    expect(text.stdout).toContain('sim binary provenance');
    expect(text.stdout).toMatch(
      /kube-scheduler\s+download\s+sha256 [0-9a-f]{16}… downloaded from .*\(sha256 checked against .*kube-scheduler\.sha256\)/,
    );
  });

  it('refuses a tampered byte, naming the file and both digests, and installs nothing', async () => {
    const scheduler = mirrorPath(originUrl('kube-scheduler').url);
    mirror.tamper.add(scheduler);
    try {
      const env = freshEnv();
      const result = await kartstream(['sim', 'install'], env);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        'kube-scheduler does not match its published sha256; the download was removed',
      );
      expect(result.stderr).toMatch(/expected: [0-9a-f]{64}/);
      expect(result.stderr).toMatch(/got: +[0-9a-f]{64}/);
      expect(result.stderr).toContain('no usable Go');
      const bin = join(env.KARTSTREAM_CACHE ?? '', 'bin');
      const installed = existsSync(bin)
        ? (await readdir(bin, { recursive: true })).filter((f) =>
            SIM_BINARY_NAMES.some((n) => f.endsWith(`/${n}`)),
          )
        : [];
      expect(installed).toEqual([]);
    } finally {
      mirror.tamper.delete(scheduler);
    }
  });

  it('a 404 fails with the URL it could not get', async () => {
    const result = await kartstream(
      ['sim', 'install'],
      freshEnv({ KARTSTREAM_RELEASE_MIRROR: `${mirror.url}/no-such-mirror` }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `failed to download ${mirror.url}/no-such-mirror/github.com/kubernetes-sigs/kwok/releases/download/v0.8.0/kwok-`,
    );
    expect(result.stderr).toContain('HTTP 404');
  });

  it('bundles the installed binaries and imports them into an empty cache with no network', async () => {
    const bundle = join(dir, 'sim-bundle.tar.gz');
    const made = await kartstream(['sim', 'bundle', '--out', bundle], {
      ...baseEnv,
      KARTSTREAM_CACHE: installedCache,
    });
    expect(made.exitCode, made.stderr).toBe(0);
    expect(made.stdout).toContain(`wrote ${REQUIRED_SIM_BINARY_NAMES.length} sim binaries`);
    const { KARTSTREAM_RELEASE_MIRROR: _m, ...offline } = freshEnv();
    mirror.requests.length = 0;
    const imported = await kartstream(['sim', 'import', bundle], offline);
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`imported ${REQUIRED_SIM_BINARY_NAMES.join(', ')}`);
    expect(imported.stdout).toMatch(
      /etcd\s+import\s+sha256 [0-9a-f]{16}… imported from .*sim-bundle\.tar\.gz \(originally downloaded from/,
    );
    expect(mirror.requests).toEqual([]);
    const again = await kartstream(['sim', 'install'], offline);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('nothing to build');
  }, 420_000);
});
