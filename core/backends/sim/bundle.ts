// Offline installs: `sim bundle` writes the installed sim binaries, their sha256 and provenance
// into one tar.gz (system tar); `sim import` checks a bundle (pinned versions, this platform,
// every digest) and installs it on a machine without network, atomically and only if all match.
import { execa } from 'execa';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rename, rm, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { runCommand } from '../../exec/run-command.ts';
import { cacheHome } from '../../home/paths.ts';
import { sha256File } from '../../download/checksums.ts';
import { requireFreeSpace } from '../../download/disk-space.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import {
  componentOf,
  describeMissing,
  findSimBinaries,
  isOptionalBinary,
  missingRequired,
  pinnedVersion,
  SIM_BINARY_NAMES,
  simBinaryPath,
  simComponentDir,
  type SimBinaryName,
} from './binaries.ts';
import { readProvenance, recordProvenance, type BinaryProvenance } from './provenance.ts';
import { simPlatform } from './release-artifacts.ts';

export const BUNDLE_MANIFEST = 'kartstream-sim-bundle.json';

export interface BundleManifest {
  format: 1;
  createdAt: string;
  platform: { os: string; arch: string };
  binaries: {
    name: SimBinaryName;
    version: string;
    /** Path inside the bundle, `bin/<component>-<version>/<name>`. */
    path: string;
    sha256: string;
    provenance?: BinaryProvenance;
  }[];
}

const platformNow = () => simPlatform() ?? { os: process.platform, arch: process.arch };
const pathInBundle = (name: SimBinaryName) =>
  relative(cacheHome(), simBinaryPath(name)).split('\\').join('/');

/**
 * Writes every installed sim binary into `out` (a tar.gz); throws if a required one is missing.
 * An optional one (metrics-server) goes in when it is installed and is logged as left out if not.
 */
export const bundleSimBinaries = async (out: string, task: TaskReporter): Promise<BundleManifest> => {
  task.progress(0, 'checking the installed sim binaries');
  const report = await findSimBinaries();
  const missing = missingRequired(report);
  if (missing.length > 0)
    throw new KartStreamError('missing-binary', 'cannot bundle: some sim binaries are not installed', {
      details: describeMissing(missing),
      fix: 'run npx kartstream sim install first',
    });
  for (const m of report.missing) task.log(`left out ${m.name} (optional, not installed)`);
  const names = SIM_BINARY_NAMES.filter((name) => report.found[name]);
  const manifest: BundleManifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    platform: platformNow(),
    binaries: [],
  };
  for (const name of names) {
    if (report.found[name]?.path !== simBinaryPath(name))
      throw new KartStreamError(
        'invalid-input',
        `cannot bundle ${name}: it comes from an env override, not the cache`,
        {
          details: [`${name}: ${report.found[name]?.path}`],
          fix: 'unset KARTSTREAM_KWOK / KARTSTREAM_KWOKCTL and run npx kartstream sim install',
        },
      );
    task.progress(manifest.binaries.length / names.length / 2, `hashing ${name}`);
    manifest.binaries.push({
      name,
      version: pinnedVersion(name),
      path: pathInBundle(name),
      sha256: await sha256File(simBinaryPath(name)),
      provenance: await readProvenance(name),
    });
  }
  const target = resolve(out);
  await mkdir(dirname(target), { recursive: true });
  const work = await mkdtemp(join(dirname(target), `.${basename(target)}-`));
  try {
    await writeFile(join(work, BUNDLE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const temp = join(work, 'bundle.tar.gz');
    task.progress(0.5, `writing ${target} (tar + gzip, about half a minute)`);
    // System tar writes the archive to stdout; Node gzips it at level 1 (3x faster than tar -z's
    // default level 6 on these binaries, for a few % more size). execa directly: this streams
    // stdout, which runCommand does not.
    const tar = execa(
      'tar',
      ['-cf', '-', '-C', work, BUNDLE_MANIFEST, '-C', cacheHome(), ...manifest.binaries.map((b) => b.path)],
      { cancelSignal: task.signal, buffer: { stdout: false, stderr: true }, stdin: 'ignore' },
    );
    await Promise.all([
      pipeline(tar.stdout, createGzip({ level: 1 }), createWriteStream(temp)),
      tar.catch((error: unknown) => {
        throw new KartStreamError('install-failed', `failed to write ${target}`, {
          cause: error,
          details: [String((error as { stderr?: string }).stderr ?? (error as Error).message)],
        });
      }),
    ]);
    await rename(temp, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  task.progress(1, `wrote ${target}`);
  return manifest;
};

/** Checks a bundle and installs its binaries into the cache; returns the names installed. */
export const importSimBundle = async (file: string, task: TaskReporter): Promise<SimBinaryName[]> => {
  const source = resolve(file);
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new KartStreamError('not-found', `no bundle at ${source}`);
  const binRoot = join(cacheHome(), 'bin');
  await requireFreeSpace(cacheHome(), info.size * 4, `unpacking ${source}`);
  await mkdir(binRoot, { recursive: true });
  const work = await mkdtemp(join(binRoot, '.import-'));
  let included: SimBinaryName[] = [];
  try {
    task.progress(0, `unpacking ${source}`);
    // Only the expected paths are extracted: a bundle cannot write anywhere else. The manifest
    // first, to learn whether the optional binaries are in it (older bundles lack metrics-server).
    const notABundle = (wanted: string[]) => (cause: unknown) => {
      throw new KartStreamError('invalid-input', `${source} is not a complete sim bundle`, {
        cause,
        details: [`it must hold ${BUNDLE_MANIFEST} and ${wanted.join(', ')}`],
        fix: 'make it with npx kartstream sim bundle --out FILE on a machine where sim install has run',
      });
    };
    const tarOptions = { signal: task.signal, timeoutMs: 600_000 };
    await runCommand('tar', ['-xzf', source, '-C', work, BUNDLE_MANIFEST], tarOptions).catch(notABundle([]));
    const manifest = JSON.parse(await readFile(join(work, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
    included = SIM_BINARY_NAMES.filter(
      (name) => !isOptionalBinary(name) || manifest.binaries?.some((b) => b.name === name),
    );
    const wanted = included.map(pathInBundle);
    await runCommand('tar', ['-xzf', source, '-C', work, ...wanted], tarOptions).catch(notABundle(wanted));
    const here = platformNow();
    const problems: string[] = [];
    if (manifest.platform?.os !== here.os || manifest.platform?.arch !== here.arch)
      problems.push(
        `made for ${manifest.platform?.os}/${manifest.platform?.arch}, this machine is ${here.os}/${here.arch}`,
      );
    for (const name of included) {
      const entry = manifest.binaries?.find((b) => b.name === name);
      if (!entry) problems.push(`${name}: not in the manifest`);
      else if (entry.version !== pinnedVersion(name))
        problems.push(`${name}: ${entry.version} in the bundle, ${pinnedVersion(name)} pinned here`);
      else {
        task.progress(included.indexOf(name) / included.length, `checking ${name}`);
        const got = await sha256File(join(work, pathInBundle(name)));
        if (got !== entry.sha256) problems.push(`${name}: sha256 ${got}, the manifest says ${entry.sha256}`);
      }
    }
    if (problems.length > 0)
      throw new KartStreamError(
        'invalid-input',
        `refused ${source}: it does not check out; nothing was installed`,
        {
          details: problems,
        },
      );
    // Every digest matched: move them into place.
    for (const entry of manifest.binaries.filter((b) => included.includes(b.name))) {
      const from = join(work, pathInBundle(entry.name));
      await chmod(from, 0o755);
      await mkdir(simComponentDir(componentOf(entry.name)), { recursive: true });
      await rename(from, simBinaryPath(entry.name));
      const { imported: _nested, ...origin } = entry.provenance ?? ({} as BinaryProvenance);
      await recordProvenance(entry.name, {
        source: 'import',
        from: source,
        sha256: entry.sha256,
        imported: entry.provenance ? origin : undefined,
      });
      task.log(`installed ${simBinaryPath(entry.name)} from ${source}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const after = await findSimBinaries();
  const broken = after.missing.filter((m) => included.includes(m.name));
  if (broken.length > 0)
    throw new KartStreamError('install-failed', 'imported, but some sim binaries do not run here', {
      details: describeMissing(broken),
      fix: 'the bundle may be for another CPU or libc; make one on a machine like this one',
    });
  return included;
};
