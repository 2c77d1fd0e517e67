import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  candidatePaths,
  componentOf,
  parseVersion,
  pinnedVersion,
  SIM_BINARY_NAMES,
  simBinaryPath,
  versionArgs,
} from '../../../core/backends/sim/binaries.ts';
import { noGoError } from '../../../core/backends/sim/without-go.ts';
import { KartStreamError } from '../../../core/errors/kartstream-error.ts';

describe('parseVersion', () => {
  it('reads the version each sim binary prints', () => {
    expect(parseVersion('kwok version v0.8.0 go1.26.8 (linux/amd64)')).toBe('v0.8.0');
    expect(parseVersion('kwokctl version v0.8.0 go1.26.8 (linux/amd64)\n')).toBe('v0.8.0');
    expect(parseVersion('Kubernetes v1.36.3\n')).toBe('v1.36.3');
    expect(parseVersion('Client Version: v1.36.3\nKustomize Version: v5.8.1\n')).toBe('v1.36.3');
    expect(parseVersion('etcd Version: 3.6.10\nGit SHA: GitNotFound\nGo Version: go1.26.8\n')).toBe(
      'v3.6.10',
    );
    expect(parseVersion('Client Version: v1.32.4-dispatcher')).toBe('v1.32.4-dispatcher');
    expect(parseVersion('prometheus, version 2.42.0+ds (branch: debian/sid)')).toBe('v2.42.0+ds');
  });

  it('does not mistake an unstamped build or a longer version for the pinned one', () => {
    expect(parseVersion('Kubernetes v0.0.0-master+$Format:%H$')).not.toBe('v1.36.3');
    expect(parseVersion('Kubernetes v1.36.30')).toBe('v1.36.30');
    expect(parseVersion('no version here')).toBeUndefined();
  });
});

describe('layout', () => {
  const KEYS = ['KARTSTREAM_CACHE', 'KARTSTREAM_KWOK', 'KARTSTREAM_KWOKCTL'] as const;
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  beforeEach(() => {
    process.env.KARTSTREAM_CACHE = '/cache';
    delete process.env.KARTSTREAM_KWOK;
    delete process.env.KARTSTREAM_KWOKCTL;
  });
  afterEach(() => {
    for (const key of KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('keys each component dir by its pinned version under the cache', () => {
    expect(SIM_BINARY_NAMES.map((name) => simBinaryPath(name))).toEqual([
      '/cache/bin/kwok-v0.8.0/kwok',
      '/cache/bin/kwok-v0.8.0/kwokctl',
      '/cache/bin/kubernetes-v1.36.3/kube-apiserver',
      '/cache/bin/kubernetes-v1.36.3/kube-controller-manager',
      '/cache/bin/kubernetes-v1.36.3/kube-scheduler',
      '/cache/bin/kubernetes-v1.36.3/kubectl',
      '/cache/bin/etcd-v3.6.10/etcd',
      '/cache/bin/metrics-server-v0.9.0/metrics-server',
    ]);
    expect(componentOf('kubectl')).toBe('kubernetes');
    expect(pinnedVersion('metrics-server')).toBe('v0.9.0');
    expect(pinnedVersion('etcd')).toBe('v3.6.10');
  });

  it('looks at KARTSTREAM_KWOK/KARTSTREAM_KWOKCTL first, and only for those two', () => {
    process.env.KARTSTREAM_KWOKCTL = '/opt/kwokctl';
    expect(candidatePaths('kwokctl')).toEqual(['/opt/kwokctl', '/cache/bin/kwok-v0.8.0/kwokctl']);
    expect(candidatePaths('kwok')).toEqual(['/cache/bin/kwok-v0.8.0/kwok']);
    expect(candidatePaths('etcd')).toEqual(['/cache/bin/etcd-v3.6.10/etcd']);
  });

  it('asks kubectl for its client version and the rest for --version', () => {
    expect(versionArgs('kubectl')).toEqual(['version', '--client']);
    expect(versionArgs('kube-apiserver')).toEqual(['--version']);
  });

  it('without Go, names every missing binary, where it looked, why no download fits, and the ways out', () => {
    const missing = (['kube-scheduler', 'etcd'] as const).map((name) => ({
      name,
      lookedIn: [simBinaryPath(name)],
      reasons: [`${simBinaryPath(name)}: not found`],
    }));
    const error = noGoError(
      missing,
      { ok: false, reason: 'no `go` on PATH' },
      {
        unavailable: [
          { name: 'kube-scheduler', reason: 'dl.k8s.io publishes kube-scheduler for linux only' },
        ],
      },
    );
    expect(error.code).toBe('missing-binary');
    expect(error.message).toContain('kube-scheduler, etcd');
    const text = [error.message, ...error.details, error.fix].join('\n');
    expect(text).toContain('kube-scheduler v1.36.3: /cache/bin/kubernetes-v1.36.3/kube-scheduler: not found');
    expect(text).toContain('etcd v3.6.10: /cache/bin/etcd-v3.6.10/etcd: not found');
    expect(text).toContain(
      'no release download for kube-scheduler: dl.k8s.io publishes kube-scheduler for linux only',
    );
    expect(text).toContain('go: no `go` on PATH');
    expect(error.fix).toContain('Go ≥ 1.26');
    expect(error.fix).toContain('npx kartstream sim install');
    expect(error.fix).toContain('npx kartstream sim import');
    expect(error.fix).toContain('kind');
  });

  it('after a failed download, leads with the download error', () => {
    const missing = [{ name: 'etcd' as const, lookedIn: ['/x'], reasons: ['/x: not found'] }];
    const downloadError = new KartStreamError(
      'install-failed',
      'failed to download https://x/etcd.tar.gz: HTTP 404',
    );
    const error = noGoError(missing, { ok: false, reason: 'no `go` on PATH' }, { downloadError });
    expect(error.code).toBe('install-failed');
    expect(error.message).toBe(
      'failed to install the sim binaries: the download failed (failed to download https://x/etcd.tar.gz: HTTP 404) and there is no usable Go to build them',
    );
    expect(error.fix).toMatch(/^fix the download/);
  });

  it('suggests GOTOOLCHAIN when the Go found can switch toolchains by itself', () => {
    const missing = [{ name: 'etcd' as const, lookedIn: ['/x'], reasons: ['/x: not found'] }];
    const old = noGoError(missing, {
      ok: false,
      path: '/usr/bin/go',
      version: 'go1.24.2',
      reason: 'too old',
    });
    expect(old.fix).toContain('GOTOOLCHAIN=go1.26.0 npx kartstream sim install');
    const ancient = noGoError(missing, {
      ok: false,
      path: '/usr/bin/go',
      version: 'go1.19.8',
      reason: 'too old',
    });
    expect(ancient.fix).not.toContain('GOTOOLCHAIN');
  });
});
