// `sim install` (and the first `up`): gets whatever sim binaries are missing. The official release
// artifacts first, checked against their published sha256 (about a minute, no Go needed); Go
// builds from source for what has no release on this platform, when a download fails, or with
// --from-source. Idempotent: does nothing when every binary checks out.
import { join } from 'node:path';
import { describeError, isKartStreamError, KartStreamError } from '../../errors/kartstream-error.ts';
import { RELEASE_MIRROR_ENV } from '../../download/mirror.ts';
import { cacheHome } from '../../home/paths.ts';
import { waitPidLock } from '../../exec/pid-lock.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { describeMissing, findSimBinaries, isOptionalBinary, type SimBinaryName } from './binaries.ts';
import { findGo } from './go-toolchain.ts';
import { buildWithGo } from './install-from-go.ts';
import { installFromReleases, planReleaseDownloads } from './install-from-release.ts';
import { noGoError } from './without-go.ts';

export interface SimInstallOptions {
  /** Build everything missing with Go, never download. */
  fromSource?: boolean;
}

export interface SimInstallResult {
  downloaded: SimBinaryName[];
  built: SimBinaryName[];
  /** Optional binaries left out (no Go to build them), with why and what a lab lacks then. */
  skipped: { name: SimBinaryName; reason: string }[];
}

const isCancel = (error: unknown, signal: AbortSignal) =>
  signal.aborted || (isKartStreamError(error) && error.code === 'canceled');

/** Where a running install says it runs: a second one waits, then finds what the first got. */
export const installLockPath = (): string => join(cacheHome(), 'locks', 'install.lock');

/** Installs the missing sim binaries: downloads first, Go as the fallback. One install at a time. */
export const installSimBinaries = async (
  task: TaskReporter,
  options: SimInstallOptions = {},
): Promise<SimInstallResult> => {
  const release = await waitPidLock(installLockPath(), 'sim install', {
    signal: task.signal,
    onWait: (holder) =>
      task.progress(
        0,
        `waiting for \`${holder.command}\` (pid ${holder.pid}, since ${holder.since}) to finish installing the sim binaries`,
      ),
  });
  try {
    return await installLocked(task, options);
  } finally {
    await release();
  }
};

const installLocked = async (task: TaskReporter, options: SimInstallOptions): Promise<SimInstallResult> => {
  task.progress(0, 'checking the installed sim binaries');
  const before = await findSimBinaries();
  for (const [name, found] of Object.entries(before.found))
    task.log(`found ${name} ${found.version}: ${found.path}`);
  if (before.missing.length === 0) {
    task.progress(1, 'all sim binaries are already installed');
    return { downloaded: [], built: [], skipped: [] };
  }
  for (const line of describeMissing(before.missing)) task.log(`missing ${line}`);
  const missing = before.missing.map((m) => m.name);

  const downloaded: SimBinaryName[] = [];
  let downloadError: unknown;
  const plan = options.fromSource ? { artifacts: [], unavailable: [] } : planReleaseDownloads(missing);
  for (const u of plan.unavailable) task.log(`no release download for ${u.name}: ${u.reason}`);
  if (plan.artifacts.length > 0) {
    const names = plan.artifacts.flatMap((a) => a.provides);
    const from = process.env[RELEASE_MIRROR_ENV]
      ? `the mirror ${process.env[RELEASE_MIRROR_ENV]}`
      : 'the official releases';
    task.step(`download ${names.join(', ')} from ${from}`);
    try {
      downloaded.push(...(await installFromReleases(plan.artifacts, task)));
    } catch (error) {
      if (isCancel(error, task.signal))
        throw new KartStreamError('canceled', 'canceled the download of the sim binaries', {
          cause: error,
          details: ['nothing of this download was installed; a partial file resumes on the next run'],
          fix: 'rerun npx kartstream sim install',
        });
      downloadError = error;
      for (const line of describeError(error).split('\n')) task.log(`download failed: ${line}`);
    }
  }

  let toBuild = missing.filter((name) => !downloaded.includes(name));
  let built: SimBinaryName[] = [];
  const skipped: SimInstallResult['skipped'] = [];
  if (toBuild.length > 0) {
    task.progress(0, `${toBuild.join(', ')} still missing; checking Go`);
    const go = await findGo(task.signal);
    if (!go.ok && toBuild.every(isOptionalBinary)) {
      // Only optional binaries are left: labs start without them, so this is not a failure.
      for (const name of toBuild) {
        const reason = `building it needs Go ≥ 1.26 (${go.reason}); labs run without it (no kubectl top, no usage on the map)`;
        skipped.push({ name, reason });
        task.log(`skipped ${name}: ${reason}`);
      }
      toBuild = [];
    } else if (!go.ok)
      throw noGoError(
        before.missing.filter((m) => toBuild.includes(m.name)),
        go,
        { unavailable: plan.unavailable, downloadError },
      );
    else {
      if (downloadError)
        task.progress(
          0,
          `the download failed (${describeError(downloadError).split('\n')[0]}); building with Go instead`,
        );
      task.log(
        `building ${toBuild.join(', ')} with ${go.version} at ${go.path}${downloadError ? ' (the download failed)' : ''}`,
      );
      built = await buildWithGo(toBuild, go, task);
    }
  }

  task.progress(1, 'verifying the installed binaries');
  const after = await findSimBinaries();
  const stillMissing = after.missing.filter((m) => !skipped.some((s) => s.name === m.name));
  if (stillMissing.length > 0)
    throw new KartStreamError(
      'install-failed',
      'failed to install the sim binaries: some still do not check out',
      {
        details: describeMissing(stillMissing),
      },
    );
  return { downloaded, built, skipped };
};
