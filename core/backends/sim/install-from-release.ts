// `sim install` without Go: the official release artifacts of the missing binaries (or a
// mirror's copy), each checked against its published sha256. Everything is downloaded into
// `<cache>/downloads/` first (a partial file resumes on the next run); only when every digest
// matches are the binaries renamed into their versioned dirs, each with a provenance record.
import { chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { runCommand } from '../../exec/run-command.ts';
import { cacheHome } from '../../home/paths.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { parseSha256Sum, sha256File } from '../../download/checksums.ts';
import { requireFreeSpace } from '../../download/disk-space.ts';
import { downloadFile } from '../../download/download-file.ts';
import { fetchText } from '../../download/fetch-text.ts';
import { mirroredUrl, RELEASE_MIRROR_ENV } from '../../download/mirror.ts';
import { describeProgress } from '../../download/progress.ts';
import {
  componentOf,
  SIM_COMPONENTS,
  simBinaryPath,
  simComponentDir,
  type SimBinaryName,
} from './binaries.ts';
import { recordProvenance } from './provenance.ts';
import { releaseArtifact, simPlatform, type ReleaseArtifact } from './release-artifacts.ts';

// Rough sizes of the release files (MB), for the disk check and the progress bar.
const APPROX_MB: Record<SimBinaryName, number> = {
  'kube-apiserver': 100,
  'kube-controller-manager': 90,
  'kube-scheduler': 70,
  kubectl: 60,
  etcd: 30,
  kwok: 90,
  kwokctl: 80,
  'metrics-server': 70,
};

export interface ReleasePlan {
  artifacts: ReleaseArtifact[];
  /** Binaries with no release for this platform, and why. */
  unavailable: { name: SimBinaryName; reason: string }[];
}

/** Which release artifacts provide `names` here, and which names have none. */
export const planReleaseDownloads = (
  names: readonly SimBinaryName[],
  env: NodeJS.ProcessEnv = process.env,
): ReleasePlan => {
  const plan: ReleasePlan = { artifacts: [], unavailable: [] };
  for (const name of names) {
    const lookup = releaseArtifact(name, simPlatform(), env);
    if (!lookup.ok) plan.unavailable.push({ name, reason: lookup.reason });
    else if (!plan.artifacts.some((a) => a.url === lookup.artifact.url)) plan.artifacts.push(lookup.artifact);
  }
  return plan;
};

export const downloadsDir = (): string => join(cacheHome(), 'downloads');

const componentDownloadDir = (artifact: ReleaseArtifact): string => {
  const component = componentOf(artifact.provides[0] as SimBinaryName);
  return join(downloadsDir(), `${component}-${SIM_COMPONENTS[component].version}`);
};

// The digest the artifact must have, and where it was read.
const expectedDigest = async (
  artifact: ReleaseArtifact,
  task: TaskReporter,
): Promise<{ sha256: string; checkedAgainst: string }> => {
  const source = artifact.checksum;
  if (source.type === 'pinned') return { sha256: source.sha256, checkedAgainst: source.from };
  const url = mirroredUrl(source.url);
  const text = await fetchText(url, { signal: task.signal, log: (l) => task.log(l) });
  const sha256 = parseSha256Sum(text, source.file);
  if (!sha256)
    throw new KartStreamError('install-failed', `${url} holds no sha256 for ${source.file}`, {
      fix: 'nothing was installed; if this is a mirror, copy the checksum file from the origin unchanged',
    });
  return { sha256, checkedAgainst: url };
};

interface Fetched {
  artifact: ReleaseArtifact;
  path: string;
  url: string;
  sha256: string;
  checkedAgainst: string;
}

// The binary `name` out of an extracted archive (system tar: GNU tar reads .tar.gz, bsdtar also .zip).
const extractMember = async (
  archive: string,
  member: string,
  task: TaskReporter,
  scratch: string[],
): Promise<string> => {
  const dir = await mkdtemp(join(downloadsDir(), '.extract-'));
  scratch.push(dir);
  const args = archive.endsWith('.zip') ? ['-xf', archive, '-C', dir] : ['-xzf', archive, '-C', dir];
  await runCommand('tar', args, { signal: task.signal, timeoutMs: 120_000 });
  const path = join(dir, member);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw new KartStreamError('install-failed', `${archive} holds no ${member}`, {
      details: [`extracted into ${dir}`],
    });
  return path;
};

/**
 * Downloads and checks every artifact, then installs the binaries they provide. Throws (with
 * nothing installed) if any download fails or any digest differs. Returns the names installed.
 */
export const installFromReleases = async (
  artifacts: readonly ReleaseArtifact[],
  task: TaskReporter,
): Promise<SimBinaryName[]> => {
  const names = artifacts.flatMap((a) => a.provides);
  const weights = artifacts.map((a) => a.provides.reduce((sum, n) => sum + APPROX_MB[n], 0));
  const total = weights.reduce((a, b) => a + b, 0);
  await requireFreeSpace(cacheHome(), total * 1.3 * 1e6, `the sim binaries (${names.join(', ')})`);
  const mirror = process.env[RELEASE_MIRROR_ENV];
  if (mirror) task.log(`using the release mirror ${mirror} (${RELEASE_MIRROR_ENV})`);

  const fetched: Fetched[] = [];
  let done = 0;
  for (const [index, artifact] of artifacts.entries()) {
    task.signal.throwIfAborted();
    const { sha256, checkedAgainst } = await expectedDigest(artifact, task);
    const url = mirroredUrl(artifact.url);
    const dest = join(componentDownloadDir(artifact), artifact.file);
    const share = (weights[index] ?? 0) / total;
    // A file fetched and checked by an earlier run that failed later is used again.
    const kept = await sha256File(dest).catch(() => undefined);
    if (kept === sha256) {
      task.log(`using ${dest}, downloaded before (sha256 ${sha256})`);
      fetched.push({ artifact, path: dest, url, sha256, checkedAgainst });
      done += share;
      continue;
    }
    task.progress(done, `downloading ${artifact.file} from ${url}`);
    const file = await downloadFile({
      url,
      dest,
      sha256,
      signal: task.signal,
      log: (line) => task.log(line),
      progressEveryMs: 2000,
      onProgress: (p) =>
        task.progress(
          done + share * (p.total ? p.received / p.total : 0),
          `downloading ${artifact.file}: ${describeProgress(p)}`,
        ),
    });
    task.log(
      `downloaded ${url} (sha256 ${file.sha256}, matches ${checkedAgainst})${file.resumed ? ', resumed' : ''}`,
    );
    fetched.push({ artifact, path: file.path, url, sha256: file.sha256, checkedAgainst });
    done += share;
  }

  // Every digest matched: now, and only now, the binaries go into the cache.
  task.progress(1, `installing ${names.join(', ')}`);
  const installed: SimBinaryName[] = [];
  const scratch: string[] = [];
  try {
    for (const f of fetched) {
      for (const name of f.artifact.provides) {
        const member = f.artifact.members?.[name];
        const source = member ? await extractMember(f.path, member, task, scratch) : f.path;
        await chmod(source, 0o755);
        await mkdir(simComponentDir(componentOf(name)), { recursive: true });
        await rename(source, simBinaryPath(name));
        await recordProvenance(name, {
          source: 'download',
          from: f.url,
          origin: f.artifact.url,
          checkedAgainst: f.checkedAgainst,
          sha256: member ? await sha256File(simBinaryPath(name)) : f.sha256,
        });
        task.log(`installed ${simBinaryPath(name)} from ${f.url}`);
        installed.push(name);
      }
    }
  } finally {
    for (const f of fetched) await rm(f.path, { force: true });
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  }
  return installed;
};
