// Where each installed sim binary came from (a download and its URL, a Go build, or an imported
// bundle) and its sha256, kept in `provenance.json` beside the binaries of each component dir.
// `sim install` and `doctor` show it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../../download/checksums.ts';
import { writePrivateJson } from '../../home/private-files.ts';
import {
  componentOf,
  findSimBinaries,
  pinnedVersion,
  SIM_BINARY_NAMES,
  simBinaryPath,
  simComponentDir,
  type SimBinaryName,
  type SimComponent,
} from './binaries.ts';

export type ProvenanceSource = 'download' | 'build' | 'import';

export interface BinaryProvenance {
  source: ProvenanceSource;
  version: string;
  sha256: string;
  installedAt: string;
  /** download: the URL fetched (a mirror's, if one was used); import: the bundle file. */
  from?: string;
  /** download: the origin URL and what the digest was checked against. */
  origin?: string;
  checkedAgainst?: string;
  /** build: the Go that built it. */
  builtWith?: string;
  /** import: where the binary had come from on the machine that made the bundle. */
  imported?: Omit<BinaryProvenance, 'imported'>;
}

type ProvenanceFile = Partial<Record<SimBinaryName, BinaryProvenance>>;

export const provenancePath = (component: SimComponent): string =>
  join(simComponentDir(component), 'provenance.json');

const readProvenanceFile = async (component: SimComponent): Promise<ProvenanceFile> => {
  try {
    return JSON.parse(await readFile(provenancePath(component), 'utf8')) as ProvenanceFile;
  } catch {
    return {};
  }
};

/** The recorded provenance of one binary, if any. */
export const readProvenance = async (name: SimBinaryName): Promise<BinaryProvenance | undefined> =>
  (await readProvenanceFile(componentOf(name)))[name];

/** Records how `name` got into the cache (written atomically, merged with its siblings'). */
export const recordProvenance = async (
  name: SimBinaryName,
  entry: Omit<BinaryProvenance, 'version' | 'installedAt' | 'sha256'> & { sha256?: string },
): Promise<BinaryProvenance> => {
  const component = componentOf(name);
  const record: BinaryProvenance = {
    ...entry,
    version: pinnedVersion(name),
    sha256: entry.sha256 ?? (await sha256File(simBinaryPath(name))),
    installedAt: new Date().toISOString(),
  };
  const file = await readProvenanceFile(component);
  await writePrivateJson(provenancePath(component), { ...file, [name]: record });
  return record;
};

export interface ProvenanceRow {
  name: SimBinaryName;
  version: string;
  path?: string;
  installed: boolean;
  /** 'unknown' for a binary that is there but has no record (e.g. built before records existed). */
  source: ProvenanceSource | 'unknown' | 'override';
  sha256?: string;
  from?: string;
  detail: string;
}

const describe = (p: BinaryProvenance): string => {
  if (p.source === 'download')
    return `downloaded from ${p.from}${p.checkedAgainst ? ` (sha256 checked against ${p.checkedAgainst})` : ''}`;
  if (p.source === 'build') return `built from source${p.builtWith ? ` with ${p.builtWith}` : ''}`;
  return `imported from ${p.from}${p.imported ? ` (originally ${describe(p.imported)})` : ''}`;
};

/** One row per sim binary: installed or not, where from, and its sha256. For `doctor` and `sim install`. */
export const simProvenanceRows = async (): Promise<ProvenanceRow[]> => {
  const report = await findSimBinaries();
  return Promise.all(
    SIM_BINARY_NAMES.map(async (name): Promise<ProvenanceRow> => {
      const found = report.found[name];
      const version = pinnedVersion(name);
      if (!found) return { name, version, installed: false, source: 'unknown', detail: 'not installed' };
      if (found.path !== simBinaryPath(name))
        return {
          name,
          version,
          path: found.path,
          installed: true,
          source: 'override',
          detail: 'from an env override, not the cache',
        };
      const p = await readProvenance(name);
      if (!p)
        return {
          name,
          version,
          path: found.path,
          installed: true,
          source: 'unknown',
          detail: 'no provenance recorded',
        };
      return {
        name,
        version,
        path: found.path,
        installed: true,
        source: p.source,
        sha256: p.sha256,
        from: p.from,
        detail: describe(p),
      };
    }),
  );
};

/** Text lines for provenance rows: `  kube-apiserver  v1.36.3  download  sha256 …  downloaded from …`. */
export const renderProvenanceRows = (rows: readonly ProvenanceRow[]): string[] =>
  rows
    .filter((r) => r.installed)
    .map(
      (r) =>
        `  ${r.name.padEnd(24)} ${r.source.padEnd(8)} ${r.sha256 ? `sha256 ${r.sha256.slice(0, 16)}… ` : ''}${r.detail}`,
    );
