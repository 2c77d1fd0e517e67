// `kind install`: the pinned kind into the versioned cache. With Go, `go install
// sigs.k8s.io/kind@VERSION` (the Go module proxy serves it); without Go, the release binary for
// this OS and architecture, sha256-checked. Built or downloaded beside the cache, then renamed
// into place, so an interrupted install never leaves a half binary that looks installed.
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, KartStreamError } from '../../errors/kartstream-error.ts';
import { prettyCommand, runCommand } from '../../exec/run-command.ts';
import { cacheHome } from '../../home/paths.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { findGo } from '../sim/go-toolchain.ts';
import { findKind, kindCacheDir, kindCachePath } from './binary.ts';
import { KIND_MODULE, KIND_VERSION } from './pins.ts';
import { downloadKindRelease } from './release-download.ts';

/** The `go install` argv that builds the pinned kind. */
export const goInstallKindArgs = (): string[] => ['install', `${KIND_MODULE}@${KIND_VERSION}`];

export type KindInstallResult = { how: 'found' | 'go' | 'download'; path: string };

const stageAndMove = async (fill: (dir: string) => Promise<void>, task: TaskReporter): Promise<string> => {
  const binRoot = join(cacheHome(), 'bin');
  await mkdir(binRoot, { recursive: true });
  const staging = await mkdtemp(join(binRoot, '.build-kind-'));
  try {
    await fill(staging);
    const name = process.platform === 'win32' ? 'kind.exe' : 'kind';
    await chmod(join(staging, name), 0o755);
    await mkdir(kindCacheDir(), { recursive: true });
    await rename(join(staging, name), kindCachePath());
    task.log(`installed ${kindCachePath()}`);
    return kindCachePath();
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
};

/** Installs the pinned kind unless a good one is already there (then does nothing). */
export const installKind = async (task: TaskReporter): Promise<KindInstallResult> => {
  const before = await findKind();
  if (before.path) {
    task.log(`found kind ${KIND_VERSION}: ${before.path}`);
    return { how: 'found', path: before.path };
  }
  for (const reason of before.reasons) task.log(`not usable: ${reason}`);
  // Any Go that runs will do: kind's go.mod asks for go 1.17 (the sim's Go ≥ 1.26 rule is not needed).
  const go = await findGo(task.signal);
  const goPath = go.ok || go.version ? go.path : undefined;
  let how: KindInstallResult['how'];
  if (goPath) {
    task.step(
      `build kind ${KIND_VERSION} with ${go.version ?? 'go'} (go install ${KIND_MODULE}@${KIND_VERSION})`,
    );
    how = 'go';
    await stageAndMove(async (dir) => {
      task.log(`$ GOBIN=${dir} ${prettyCommand('go', goInstallKindArgs())}`);
      await runCommand(goPath, goInstallKindArgs(), {
        cwd: dir,
        env: { GOBIN: dir, CGO_ENABLED: '0', GOWORK: 'off', GOFLAGS: '-buildvcs=false' },
        log: (line) => task.log(line),
        signal: task.signal,
      });
    }, task);
  } else {
    task.step(`download kind ${KIND_VERSION} (no usable Go: ${go.ok ? '' : go.reason})`);
    how = 'download';
    try {
      await stageAndMove(async (dir) => {
        const { bytes, sha256, url } = await downloadKindRelease({ signal: task.signal });
        task.log(`downloaded ${url} (sha256 ${sha256}, checked)`);
        await writeFile(join(dir, process.platform === 'win32' ? 'kind.exe' : 'kind'), bytes);
      }, task);
    } catch (error) {
      throw new KartStreamError('missing-binary', `failed to install kind ${KIND_VERSION}`, {
        cause: error,
        details: [`go: ${go.ok ? 'ok' : go.reason}`, ...describeError(error).split('\n')],
        fix: `install Go and run npx kartstream kind install again (it runs go install ${KIND_MODULE}@${KIND_VERSION}), or put kind ${KIND_VERSION} on PATH`,
      });
    }
  }
  const after = await findKind();
  if (!after.path)
    throw new KartStreamError('install-failed', `kind ${KIND_VERSION} does not check out after install`, {
      details: after.reasons,
    });
  return { how, path: after.path };
};
