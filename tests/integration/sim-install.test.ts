// `kartstream sim install` and `kartstream doctor` through the real CLI, against the binaries the
// global setup provisioned, and against an empty cache on a PATH without Go.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  componentOf,
  findSimBinaries,
  parseVersion,
  requireSimBinaries,
  pinnedVersion,
  REQUIRED_SIM_BINARY_NAMES,
  SIM_BINARY_NAMES,
  simBinaryPath,
  versionArgs,
} from '../../core/backends/sim/binaries.ts';
import { envWithoutGo } from '../helpers/env-without-go.ts';
import type { DoctorReport } from '../../core/doctor/doctor-report.ts';
import type { KartStreamError } from '../../core/errors/kartstream-error.ts';

const CLI = resolve(import.meta.dirname, '../../bin/kartstream.js');

const kartstream = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  execa(process.execPath, [CLI, ...args], { env, extendEnv: false, reject: false, timeout: 120_000 });

describe('with the provisioned sim binaries', () => {
  it('sim install exits 0 and has nothing to build', async () => {
    const result = await kartstream(['sim', 'install']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`all ${SIM_BINARY_NAMES.length} sim binaries are already installed`);
    expect(result.stdout).toContain('nothing to build');
    expect(result.stderr).not.toMatch(/\] build /);
  });

  it.each(SIM_BINARY_NAMES)('%s prints its pinned version', async (name) => {
    const result = await execa(simBinaryPath(name), versionArgs(name), { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(pinnedVersion(name).replace(/^v/, ''));
    expect(parseVersion(result.stdout)).toBe(pinnedVersion(name));
  });

  it('requireSimBinaries gives the path of each', async () => {
    const paths = await requireSimBinaries();
    expect(Object.keys(paths)).toEqual([...SIM_BINARY_NAMES]);
    for (const name of SIM_BINARY_NAMES) expect(paths[name]).toBe(simBinaryPath(name));
  });

  it('doctor -o json lists every sim binary as found', async () => {
    const result = await kartstream(['doctor', '-o', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.simBinaries.map((b) => b.name)).toEqual([...SIM_BINARY_NAMES]);
    for (const b of report.simBinaries) {
      expect(b).toMatchObject({ found: true, path: simBinaryPath(b.name), version: pinnedVersion(b.name) });
    }
    expect(report.conclusion.sim.ready).toBe(true);
    expect(report.conclusion.backend).toBe(report.docker.engine ? 'kind' : 'sim');
  });
});

describe('with an empty cache and no Go on PATH', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kartstream-nogo-'));
    // A short PATH (/usr/bin:/bin) when neither holds go.
    env = await envWithoutGo({ KARTSTREAM_CACHE: join(dir, 'cache'), KARTSTREAM_HOME: join(dir, 'home') }, [
      '/usr/bin',
      '/bin',
    ]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sim install tries the release download, then fails naming the URL, every missing binary and the ways out', async () => {
    // No mirror and no internet here: the first download (kwok from GitHub) cannot resolve.
    const { KARTSTREAM_RELEASE_MIRROR: _m, ...offline } = env;
    const result = await kartstream(['sim', 'install'], offline);
    expect(result.exitCode).toBe(1);
    const text = result.stderr;
    for (const name of SIM_BINARY_NAMES) {
      const where = join(dir, 'cache', 'bin');
      expect(text).toContain(`${name} ${pinnedVersion(name)}: ${where}`);
    }
    expect(text).toContain('[1] download kwok, kwokctl, kube-apiserver');
    expect(text).toContain(
      'failed to download https://github.com/kubernetes-sigs/kwok/releases/download/v0.8.0/kwok-',
    );
    expect(text).toContain('no usable Go');
    expect(text).toContain('no `go` on PATH');
    expect(text).toContain('Go ≥ 1.26');
    expect(text).toContain('https://go.dev/dl/');
    expect(text).toContain('npx kartstream sim install');
    expect(text).toContain('KARTSTREAM_RELEASE_MIRROR');
    expect(text).toContain('npx kartstream sim import');
    const logPath = /^log: (.+)$/m.exec(text)?.[1];
    expect(logPath && existsSync(logPath)).toBe(true);
    expect(existsSync(join(dir, 'cache', 'bin', 'kwok-v0.8.0', 'kwokctl'))).toBe(false);
  });

  it('doctor reports them missing and Go unusable', async () => {
    const result = await kartstream(['doctor', '-o', 'json'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    for (const b of report.simBinaries) {
      expect(b.found).toBe(false);
      expect(b.lookedIn).toEqual([join(dir, 'cache', 'bin', `${componentOf(b.name)}-${b.pinned}`, b.name)]);
    }
    expect(report.go.usable).toBe(false);
    expect(report.conclusion.sim.ready).toBe(false);
    const text = await kartstream(['doctor'], env);
    expect(text.stdout).toMatch(/missing\s+kwokctl\s+v0\.8\.0/);
    expect(text.stdout).toContain('sim backend is NOT ready');
  });

  it('requireSimBinaries throws missing-binary naming each one and the fix', async () => {
    const saved = process.env.KARTSTREAM_CACHE;
    process.env.KARTSTREAM_CACHE = join(dir, 'cache');
    try {
      const error = await requireSimBinaries().then(
        () => undefined,
        (e: unknown) => e as KartStreamError,
      );
      expect(error?.code).toBe('missing-binary');
      // metrics-server is optional: a lab starts without it, so it is not named here.
      expect(error?.message).toBe(`missing sim binaries: ${REQUIRED_SIM_BINARY_NAMES.join(', ')}`);
      expect(error?.details).toHaveLength(REQUIRED_SIM_BINARY_NAMES.length);
      expect(error?.details[0]).toContain(join(dir, 'cache', 'bin', 'kwok-v0.8.0', 'kwok'));
      expect(error?.fix).toBe('run: npx kartstream sim install');
    } finally {
      if (saved === undefined) delete process.env.KARTSTREAM_CACHE;
      else process.env.KARTSTREAM_CACHE = saved;
    }
  });

  it('counts a binary only if it reports the pinned version', async () => {
    const kwokDir = join(dir, 'cache', 'bin', 'kwok-v0.8.0');
    await mkdir(kwokDir, { recursive: true });
    const fake = async (name: string, version: string, mode = 0o755) => {
      await writeFile(
        join(kwokDir, name),
        `#!/bin/sh\necho "${name} version ${version} go1.26.8 (linux/amd64)"\n`,
      );
      await chmod(join(kwokDir, name), mode);
    };
    await fake('kwok', 'v0.7.0');
    await fake('kwokctl', 'v0.8.0');
    const saved = process.env.KARTSTREAM_CACHE;
    process.env.KARTSTREAM_CACHE = join(dir, 'cache');
    try {
      const report = await findSimBinaries();
      expect(report.found.kwokctl).toEqual({ path: join(kwokDir, 'kwokctl'), version: 'v0.8.0' });
      expect(report.missing.find((m) => m.name === 'kwok')?.reasons).toEqual([
        `${join(kwokDir, 'kwok')}: reports v0.7.0, want v0.8.0`,
      ]);
      await fake('kwok', 'v0.8.0', 0o644);
      const again = await findSimBinaries();
      expect(again.missing.find((m) => m.name === 'kwok')?.reasons).toEqual([
        `${join(kwokDir, 'kwok')}: not executable`,
      ]);
    } finally {
      if (saved === undefined) delete process.env.KARTSTREAM_CACHE;
      else process.env.KARTSTREAM_CACHE = saved;
    }
  });
});
