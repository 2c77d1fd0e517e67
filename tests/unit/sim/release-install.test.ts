// `sim install` without Go, against a loopback release mirror of small fake binaries (shell
// scripts that print the pinned versions): where each artifact is per platform, a full install
// with provenance, a tampered byte (refused, nothing installed), a 404, a cut connection and 5xx
// answers (resumed, retried), and bundle → import into an empty cache.
import { execa } from 'execa';
import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  findSimBinaries,
  missingRequired,
  REQUIRED_SIM_BINARY_NAMES,
  SIM_BINARY_NAMES,
  simBinaryPath,
  type SimBinaryName,
} from '../../../core/backends/sim/binaries.ts';
import { bundleSimBinaries, importSimBundle, BUNDLE_MANIFEST } from '../../../core/backends/sim/bundle.ts';
import { findOnPath, pathDirs } from '../../../core/exec/find-on-path.ts';
import { installSimBinaries } from '../../../core/backends/sim/install.ts';
import { readProvenance, simProvenanceRows } from '../../../core/backends/sim/provenance.ts';
import { releaseArtifact, simPlatform } from '../../../core/backends/sim/release-artifacts.ts';
import type { KartStreamError } from '../../../core/errors/kartstream-error.ts';
import { runTask } from '../../../core/tasks/task.ts';
import {
  buildMirrorTree,
  mirrorPath,
  startMirrorServer,
  type MirrorServer,
} from '../../helpers/release-mirror.ts';

const VERSION_LINE: Record<SimBinaryName, string> = {
  kwok: 'kwok version v0.8.0 go1.26.8 (linux/amd64)',
  kwokctl: 'kwokctl version v0.8.0 go1.26.8 (linux/amd64)',
  'kube-apiserver': 'Kubernetes v1.36.3',
  'kube-controller-manager': 'Kubernetes v1.36.3',
  'kube-scheduler': 'Kubernetes v1.36.3',
  kubectl: 'Client Version: v1.36.3',
  etcd: 'etcd Version: 3.6.10',
  'metrics-server': 'v0.9.0',
};

describe('release artifacts per platform', () => {
  const linux = { os: 'linux', arch: 'amd64' };
  const mac = { os: 'darwin', arch: 'arm64' };
  it('takes Kubernetes from dl.k8s.io with the .sha256 beside each file', () => {
    const r = releaseArtifact('kube-apiserver', linux, {});
    expect(r.ok && r.artifact.url).toBe('https://dl.k8s.io/release/v1.36.3/bin/linux/amd64/kube-apiserver');
    expect(r.ok && r.artifact.checksum).toEqual({
      type: 'file',
      url: 'https://dl.k8s.io/release/v1.36.3/bin/linux/amd64/kube-apiserver.sha256',
      file: 'kube-apiserver',
    });
  });
  it('has no macOS control plane, but a macOS kubectl', () => {
    const r = releaseArtifact('kube-scheduler', mac, {});
    expect(r).toEqual({ ok: false, reason: 'dl.k8s.io publishes kube-scheduler for linux only' });
    expect(releaseArtifact('kubectl', mac, {}).ok).toBe(true);
  });
  it('takes etcd from its release archive, checked against SHA256SUMS (.zip on macOS)', () => {
    const r = releaseArtifact('etcd', linux, {});
    expect(r.ok && r.artifact).toMatchObject({
      url: 'https://github.com/etcd-io/etcd/releases/download/v3.6.10/etcd-v3.6.10-linux-amd64.tar.gz',
      checksum: { type: 'file', url: 'https://github.com/etcd-io/etcd/releases/download/v3.6.10/SHA256SUMS' },
      members: { etcd: 'etcd-v3.6.10-linux-amd64/etcd' },
    });
    const m = releaseArtifact('etcd', mac, {});
    expect(m.ok && m.artifact.file).toBe('etcd-v3.6.10-darwin-arm64.zip');
  });
  it('takes kwok’s raw binaries with a pinned or given sha256, and none where no digest is known', () => {
    const r = releaseArtifact('kwokctl', linux, {});
    expect(r.ok && r.artifact.url).toBe(
      'https://github.com/kubernetes-sigs/kwok/releases/download/v0.8.0/kwokctl-linux-amd64',
    );
    expect(r.ok && r.artifact.checksum.type).toBe('pinned');
    const given = releaseArtifact(
      'kwok',
      { os: 'linux', arch: 'arm64' },
      { KARTSTREAM_KWOK_SHA256: 'A'.repeat(64) },
    );
    expect(given.ok && given.artifact.checksum).toEqual({
      type: 'pinned',
      sha256: 'a'.repeat(64),
      from: 'KARTSTREAM_KWOK_SHA256',
    });
    const none = releaseArtifact('kwok', { os: 'linux', arch: 'arm64' }, {});
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toContain('set KARTSTREAM_KWOK_SHA256');
  });
  it('has nothing for other systems', () => {
    expect(simPlatform('win32', 'x64')).toBeUndefined();
    expect(simPlatform('linux', 'x64')).toEqual(linux);
  });
});

// Generous timeouts: real HTTP, tar and the retries' backoff (1 + 2 s) on a possibly busy machine.
describe.runIf(process.platform === 'linux')(
  'installing from a release mirror, without Go',
  { timeout: 30_000 },
  () => {
    const KEYS = [
      'KARTSTREAM_CACHE',
      'KARTSTREAM_HOME',
      'KARTSTREAM_RELEASE_MIRROR',
      'KARTSTREAM_KWOK_SHA256',
      'KARTSTREAM_KWOKCTL_SHA256',
      'KARTSTREAM_KWOK',
      'KARTSTREAM_KWOKCTL',
      'PATH',
    ] as const;
    const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
    let dir: string;
    let mirror: MirrorServer;
    let kwokEnv: Record<string, string>;
    let caches = 0;
    const url = (name: SimBinaryName) => {
      const r = releaseArtifact(name, simPlatform(), process.env);
      if (!r.ok) throw new Error(r.reason);
      return r.artifact;
    };
    const install = () => runTask('install (test)', (task) => installSimBinaries(task));
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e as KartStreamError,
      );

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kartstream-release-'));
      const fakes = {} as Record<SimBinaryName, string>;
      await mkdir(join(dir, 'fakes'));
      for (const name of SIM_BINARY_NAMES) {
        fakes[name] = join(dir, 'fakes', name);
        // 400 KB: the half a cut sends is more than the HTTP client holds unread (see MirrorServer.cut).
        await writeFile(fakes[name], `#!/bin/sh\necho "${VERSION_LINE[name]}"\n# ${'x'.repeat(400_000)}\n`);
        await chmod(fakes[name], 0o755);
      }
      kwokEnv = await buildMirrorTree(join(dir, 'mirror'), fakes);
      mirror = await startMirrorServer(join(dir, 'mirror'));
    });
    afterAll(async () => {
      await mirror.close();
      await rm(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      caches += 1;
      const noGo: string[] = [];
      for (const d of pathDirs(saved.PATH)) if (!(await findOnPath('go', d))) noGo.push(d);
      Object.assign(process.env, {
        KARTSTREAM_CACHE: join(dir, `cache-${caches}`),
        KARTSTREAM_HOME: join(dir, 'home'),
        KARTSTREAM_RELEASE_MIRROR: mirror.url,
        PATH: noGo.join(':'),
        ...kwokEnv,
      });
      delete process.env.KARTSTREAM_KWOK;
      delete process.env.KARTSTREAM_KWOKCTL;
      mirror.requests.length = 0;
    });
    afterEach(() => {
      for (const key of KEYS) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    });

    it('downloads every binary, checks it, records where it came from; a second run does nothing', async () => {
      const result = await install();
      expect(result.downloaded.sort()).toEqual([...REQUIRED_SIM_BINARY_NAMES].sort());
      expect(result.built).toEqual([]);
      // metrics-server has no release and there is no Go: left out with the reason, not a failure.
      expect(result.skipped.map((s) => s.name)).toEqual(['metrics-server']);
      expect(result.skipped[0]?.reason).toMatch(/needs Go ≥ 1\.26 .*no kubectl top/);
      const report = await findSimBinaries();
      expect(report.missing.map((m) => m.name)).toEqual(['metrics-server']);
      const p = await readProvenance('kube-apiserver');
      expect(p).toMatchObject({
        source: 'download',
        version: 'v1.36.3',
        from: `${mirror.url}${mirrorPath(url('kube-apiserver').url)}`,
        origin: url('kube-apiserver').url,
        checkedAgainst: `${mirror.url}${mirrorPath(url('kube-apiserver').url)}.sha256`,
      });
      expect((await readProvenance('etcd'))?.checkedAgainst).toMatch(/\/SHA256SUMS$/);
      expect((await readProvenance('kwok'))?.checkedAgainst).toBe('KARTSTREAM_KWOK_SHA256');
      const rows = (await simProvenanceRows()).filter((r) => r.name !== 'metrics-server');
      expect(
        rows.every((r) => r.installed && r.source === 'download' && /^[0-9a-f]{64}$/.test(r.sha256 ?? '')),
      ).toBe(true);
      expect(
        await readdir(join(process.env.KARTSTREAM_CACHE ?? '', 'downloads', 'kubernetes-v1.36.3')),
      ).toEqual([]);
      mirror.requests.length = 0;
      expect(await install()).toMatchObject({
        downloaded: [],
        built: [],
        skipped: [{ name: 'metrics-server' }],
      });
      expect(mirror.requests).toEqual([]);
    });

    it('refuses a tampered byte: names the file and both digests, and installs nothing at all', async () => {
      const path = mirrorPath(url('kube-scheduler').url);
      mirror.tamper.add(path);
      try {
        const error = await failure(install());
        expect(error?.code).toBe('install-failed');
        expect(error?.message).toContain(
          'kube-scheduler does not match its published sha256; the download was removed',
        );
        expect(error?.message).toContain('no usable Go');
        const text = error?.details.join('\n') ?? '';
        expect(text).toMatch(/expected: [0-9a-f]{64}/);
        expect(text).toMatch(/got: +[0-9a-f]{64}/);
        expect((await findSimBinaries()).found).toEqual({});
        for (const name of SIM_BINARY_NAMES) expect(await readProvenance(name)).toBeUndefined();
      } finally {
        mirror.tamper.delete(path);
      }
    });

    it('a 404 is a clear error naming the URL', async () => {
      process.env.KARTSTREAM_RELEASE_MIRROR = `${mirror.url}/empty`;
      const error = await failure(install());
      expect(error?.message).toContain(
        `failed to download ${mirror.url}/empty/github.com/kubernetes-sigs/kwok/releases/download/v0.8.0/`,
      );
      expect(error?.message).toContain('HTTP 404');
      expect((await findSimBinaries()).found).toEqual({});
    });

    it('resumes a connection cut half-way and retries 5xx answers', async () => {
      const apiserver = mirrorPath(url('kube-apiserver').url);
      const sums = mirrorPath((url('etcd').checksum as { url: string }).url);
      mirror.cut.add(apiserver);
      mirror.fail.set(sums, 2);
      const result = await install();
      expect(result.downloaded).toContain('kube-apiserver');
      const apiserverRequests = mirror.requests.filter((r) => r.path === apiserver);
      expect(apiserverRequests).toHaveLength(2);
      expect(apiserverRequests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
      expect(mirror.requests.filter((r) => r.path === sums)).toHaveLength(3);
      expect(missingRequired(await findSimBinaries())).toEqual([]);
    });

    it('bundles the installed binaries and imports them into an empty cache', async () => {
      await install();
      // As if Go had built it: the optional metrics-server travels in the bundle too.
      await mkdir(dirname(simBinaryPath('metrics-server')), { recursive: true });
      await copyFile(join(dir, 'fakes', 'metrics-server'), simBinaryPath('metrics-server'));
      const bundle = join(dir, 'sim-bundle.tar.gz');
      const manifest = await runTask('bundle (test)', (task) => bundleSimBinaries(bundle, task));
      expect(manifest.binaries.map((b) => b.name)).toEqual([...SIM_BINARY_NAMES]);
      const listing = (await execa('tar', ['-tzf', bundle])).stdout.split('\n');
      expect(listing).toContain(BUNDLE_MANIFEST);
      expect(listing).toContain('bin/kubernetes-v1.36.3/kube-apiserver');

      process.env.KARTSTREAM_CACHE = join(dir, 'imported-cache');
      delete process.env.KARTSTREAM_RELEASE_MIRROR;
      expect((await findSimBinaries()).found).toEqual({});
      mirror.requests.length = 0;
      const names = await runTask('import (test)', (task) => importSimBundle(bundle, task));
      expect(names).toEqual([...SIM_BINARY_NAMES]);
      expect(mirror.requests).toEqual([]);
      expect((await findSimBinaries()).missing).toEqual([]);
      const p = await readProvenance('etcd');
      expect(p).toMatchObject({ source: 'import', from: bundle, imported: { source: 'download' } });
      expect(p?.sha256).toBe(manifest.binaries.find((b) => b.name === 'etcd')?.sha256);
      expect(simBinaryPath('etcd')).toContain('imported-cache');
    });

    it('bundles and imports without metrics-server when it is not installed (it is optional)', async () => {
      await install();
      const bundle = join(dir, 'without-metrics-server.tar.gz');
      const manifest = await runTask('bundle (test)', (task) => bundleSimBinaries(bundle, task));
      expect(manifest.binaries.map((b) => b.name)).toEqual([...REQUIRED_SIM_BINARY_NAMES]);
      process.env.KARTSTREAM_CACHE = join(dir, 'imported-without');
      delete process.env.KARTSTREAM_RELEASE_MIRROR;
      const names = await runTask('import (test)', (task) => importSimBundle(bundle, task));
      expect(names).toEqual([...REQUIRED_SIM_BINARY_NAMES]);
      expect((await findSimBinaries()).missing.map((m) => m.name)).toEqual(['metrics-server']);
    });

    it('refuses a bundle whose binaries do not match its manifest, installing nothing', async () => {
      await install();
      const bundle = join(dir, 'good.tar.gz');
      await runTask('bundle (test)', (task) => bundleSimBinaries(bundle, task));
      const unpacked = join(dir, 'unpacked');
      await mkdir(unpacked, { recursive: true });
      await execa('tar', ['-xzf', bundle, '-C', unpacked]);
      const etcd = join(unpacked, 'bin', 'etcd-v3.6.10', 'etcd');
      await writeFile(etcd, `${await readFile(etcd, 'utf8')}# changed\n`);
      const bad = join(dir, 'bad.tar.gz');
      await execa('tar', ['-czf', bad, '-C', unpacked, BUNDLE_MANIFEST, 'bin']);
      process.env.KARTSTREAM_CACHE = join(dir, 'refused-cache');
      const error = await failure(runTask('import (test)', (task) => importSimBundle(bad, task)));
      expect(error?.message).toContain('does not check out; nothing was installed');
      expect(error?.details.join('\n')).toMatch(
        /^etcd: sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/m,
      );
      expect((await findSimBinaries()).found).toEqual({});
    });
  },
);
