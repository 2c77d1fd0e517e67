// The kind binary: looked for in KARTSTREAM_KIND, the versioned cache and PATH, in that order.
// A binary counts only if `kind version` runs and reports the pinned version.
import { join } from 'node:path';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { runCommand } from '../../exec/run-command.ts';
import { cacheHome } from '../../home/paths.ts';
import { findOnPath, isExecutableFile } from '../../exec/find-on-path.ts';
import { KIND_BINARY_ENV, KIND_VERSION } from './pins.ts';

/** `<cache>/bin/kind-<version>`, e.g. `~/.cache/kartstream/bin/kind-v0.33.0`. */
export const kindCacheDir = (): string => join(cacheHome(), 'bin', `kind-${KIND_VERSION}`);
export const kindCachePath = (): string =>
  join(kindCacheDir(), process.platform === 'win32' ? 'kind.exe' : 'kind');

/** The version in `kind version` output ("kind v0.33.0 go1.26.8 linux/amd64"); undefined if none. */
export const parseKindVersion = (output: string): string | undefined =>
  /^kind (v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\b/m.exec(output)?.[1];

export interface KindBinaryReport {
  path?: string;
  version?: string;
  /** Each place looked in, and why it did not count. */
  reasons: string[];
}

const check = async (path: string): Promise<{ ok: true } | { ok: false; reason: string }> => {
  if (!(await isExecutableFile(path))) return { ok: false, reason: 'not an executable file' };
  try {
    const version = parseKindVersion(await runCommand(path, ['version'], { timeoutMs: 20_000 }));
    if (version === KIND_VERSION) return { ok: true };
    return { ok: false, reason: `reports ${version ?? 'no version'}, want ${KIND_VERSION}` };
  } catch (error) {
    return { ok: false, reason: `\`kind version\` failed: ${(error as Error).message}` };
  }
};

/** Finds the pinned kind: the env override, then the cache, then PATH. */
export const findKind = async (): Promise<KindBinaryReport> => {
  const override = process.env[KIND_BINARY_ENV];
  const onPath = await findOnPath('kind');
  const candidates = [
    ...(override ? [[`${KIND_BINARY_ENV}=${override}`, override]] : []),
    [kindCachePath(), kindCachePath()],
    ...(onPath ? [[`PATH: ${onPath}`, onPath]] : [['PATH', '']]),
  ] as [string, string][];
  const reasons: string[] = [];
  for (const [label, path] of candidates) {
    if (!path) {
      reasons.push(`${label}: no kind on PATH`);
      continue;
    }
    const result = await check(path);
    if (result.ok) return { path, version: KIND_VERSION, reasons };
    reasons.push(`${label}: ${result.reason}`);
  }
  return { reasons };
};

/** The path of the pinned kind, or a 'missing-binary' error that says how to get it. */
export const requireKind = async (): Promise<string> => {
  const report = await findKind();
  if (report.path) return report.path;
  throw new KartStreamError('missing-binary', `kind ${KIND_VERSION} is not installed`, {
    details: report.reasons,
    fix: 'run: npx kartstream kind install',
  });
};
