// The sim backend's binaries: pinned versions, where they live in the cache (keyed by version),
// and how to tell whether they are there. A binary counts only if it runs and reports the pinned
// version, so a half-written file or a stale build is "missing", never "found".
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { runCommand } from '../../exec/run-command.ts';
import { cacheHome } from '../../home/paths.ts';

export type SimBinaryName =
  | 'kwok'
  | 'kwokctl'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'etcd'
  | 'kubectl'
  | 'metrics-server';

export type SimComponent = 'kwok' | 'kubernetes' | 'etcd' | 'metrics-server';

export interface SimComponentSpec {
  version: string;
  binaries: readonly SimBinaryName[];
  /**
   * A lab starts without it (the feature it brings is then off and says so). metrics-server is
   * optional: it has no release binaries, so without Go it cannot be installed, and a missing
   * `kubectl top` must not cost a user the whole sim backend.
   */
  optional?: true;
}

/** Each component: its pinned version and the binaries it provides, in build order. */
export const SIM_COMPONENTS: Record<SimComponent, SimComponentSpec> = {
  kwok: { version: 'v0.8.0', binaries: ['kwok', 'kwokctl'] },
  kubernetes: {
    version: 'v1.36.3',
    binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'],
  },
  etcd: { version: 'v3.6.10', binaries: ['etcd'] },
  'metrics-server': { version: 'v0.9.0', binaries: ['metrics-server'], optional: true },
};

export const SIM_COMPONENT_NAMES = Object.keys(SIM_COMPONENTS) as SimComponent[];
/** The whole pinned set: what `sim install` gets, `doctor` lists and `sim bundle` carries. */
export const SIM_BINARY_NAMES: readonly SimBinaryName[] = SIM_COMPONENT_NAMES.flatMap(
  (c) => SIM_COMPONENTS[c].binaries,
);

/** Env vars that point at a kwok/kwokctl somewhere else (e.g. a downloaded release binary). */
export const SIM_BINARY_ENV: Partial<Record<SimBinaryName, string>> = {
  kwok: 'KARTSTREAM_KWOK',
  kwokctl: 'KARTSTREAM_KWOKCTL',
};

export const componentOf = (name: SimBinaryName): SimComponent =>
  SIM_COMPONENT_NAMES.find((c) => SIM_COMPONENTS[c].binaries.includes(name)) as SimComponent;

export const pinnedVersion = (name: SimBinaryName): string => SIM_COMPONENTS[componentOf(name)].version;

export const isOptionalBinary = (name: SimBinaryName): boolean =>
  SIM_COMPONENTS[componentOf(name)].optional === true;

/** The binaries a lab cannot start without. */
export const REQUIRED_SIM_BINARY_NAMES: readonly SimBinaryName[] = SIM_BINARY_NAMES.filter(
  (name) => !isOptionalBinary(name),
);
export type RequiredSimBinaryName = Exclude<SimBinaryName, 'metrics-server'>;

/** `<cache>/bin/<component>-<version>`, e.g. `~/.cache/kartstream/bin/kwok-v0.8.0`. */
export const simComponentDir = (component: SimComponent): string =>
  join(cacheHome(), 'bin', `${component}-${SIM_COMPONENTS[component].version}`);

export const simBinaryPath = (name: SimBinaryName): string => join(simComponentDir(componentOf(name)), name);

/** The arguments that make a binary print its version (kubectl has no `--version`). */
export const versionArgs = (name: SimBinaryName): string[] =>
  name === 'kubectl' ? ['version', '--client'] : ['--version'];

/** The first semantic version in a `--version` output, with a leading "v"; undefined if none. */
export const parseVersion = (output: string): string | undefined => {
  const match = /(?:^|[^\w.])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?![\w.])/.exec(
    output,
  );
  return match ? `v${match[1]}` : undefined;
};

export interface FoundBinary {
  path: string;
  version: string;
}

export interface MissingBinary {
  name: SimBinaryName;
  lookedIn: string[];
  /** Why each place did not count, e.g. "not found" or "reports v0.7.0, want v0.8.0". */
  reasons: string[];
}

export interface SimBinaryReport {
  found: Partial<Record<SimBinaryName, FoundBinary>>;
  missing: MissingBinary[];
}

type Check = { ok: true; version: string } | { ok: false; reason: string };

// Memo of version checks for this process, keyed by the file's identity, so a rebuilt binary
// (new inode/mtime) is checked again but an unchanged one is run only once.
const checks = new Map<string, Promise<Check>>();

const checkBinary = async (name: SimBinaryName, path: string): Promise<Check> => {
  const info = await stat(path).catch(() => undefined);
  if (!info) return { ok: false, reason: 'not found' };
  if (!info.isFile()) return { ok: false, reason: 'not a file' };
  if (
    !(await access(path, constants.X_OK).then(
      () => true,
      () => false,
    ))
  )
    return { ok: false, reason: 'not executable' };
  const key = `${path}|${info.ino}|${info.size}|${info.mtimeMs}`;
  let check = checks.get(key);
  if (!check) {
    check = runCommand(path, versionArgs(name), { timeoutMs: 20_000 }).then(
      (output): Check => {
        const version = parseVersion(output);
        const want = pinnedVersion(name);
        if (version === want) return { ok: true, version };
        return { ok: false, reason: `reports ${version ?? 'no version'}, want ${want}` };
      },
      (error: unknown): Check => ({
        ok: false,
        reason: `\`${name} ${versionArgs(name).join(' ')}\` failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
    );
    checks.set(key, check);
  }
  return check;
};

/** Places a binary is looked for, in order: its env override (if set), then the cache. */
export const candidatePaths = (name: SimBinaryName): string[] => {
  const envName = SIM_BINARY_ENV[name];
  const override = envName ? process.env[envName] : undefined;
  return [...(override ? [override] : []), simBinaryPath(name)];
};

/** Looks for every sim binary; runs each once per process (per file version) to check its version. */
export const findSimBinaries = async (): Promise<SimBinaryReport> => {
  const results = await Promise.all(
    SIM_BINARY_NAMES.map(async (name) => {
      const lookedIn = candidatePaths(name);
      const reasons: string[] = [];
      for (const path of lookedIn) {
        const check = await checkBinary(name, path);
        if (check.ok) return { name, found: { path, version: check.version } };
        reasons.push(`${path}: ${check.reason}`);
      }
      return { name, missing: { name, lookedIn, reasons } };
    }),
  );
  const report: SimBinaryReport = { found: {}, missing: [] };
  for (const result of results) {
    if (result.found) report.found[result.name] = result.found;
    else if (result.missing) report.missing.push(result.missing);
  }
  return report;
};

/** One line per missing binary: what it is, which version, and where it looked and why not. */
export const describeMissing = (missing: readonly MissingBinary[]): string[] =>
  missing.map((m) => `${m.name} ${pinnedVersion(m.name)}: ${m.reasons.join('; ')}`);

/** The missing binaries a lab cannot start without. */
export const missingRequired = (report: SimBinaryReport): MissingBinary[] =>
  report.missing.filter((m) => !isOptionalBinary(m.name));

export type SimBinaryPaths = Record<RequiredSimBinaryName, string> &
  Partial<Record<'metrics-server', string>>;

/**
 * The paths of the sim binaries (an optional one only when it is there), or a 'missing-binary'
 * error naming each required one that is not there.
 */
export const requireSimBinaries = async (): Promise<SimBinaryPaths> => {
  const report = await findSimBinaries();
  const missing = missingRequired(report);
  if (missing.length > 0) {
    const names = missing.map((m) => m.name).join(', ');
    throw new KartStreamError('missing-binary', `missing sim binaries: ${names}`, {
      details: describeMissing(missing),
      fix: 'run: npx kartstream sim install',
    });
  }
  return Object.fromEntries(
    SIM_BINARY_NAMES.filter((n) => report.found[n]).map((n) => [n, report.found[n]?.path]),
  ) as SimBinaryPaths;
};
