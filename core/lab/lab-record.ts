// What survives a restart about a lab: its backend, topology and ports, in <lab dir>/lab.json
// (private, written atomically). The cluster itself is the source of truth for everything else.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { BackendName, LabContext } from '../backends/cluster-backend.ts';
import { labDir, labsDir } from '../home/paths.ts';
import { writePrivateJson } from '../home/private-files.ts';
import { loadTopology } from '../topology/load-topology.ts';
import { KartStreamError, type ErrorCode } from '../errors/kartstream-error.ts';
import { checkLabName, upCommand } from '../home/lab-name.ts';
import { describeIssues } from '../validation/describe-issues.ts';

export interface LabRecord {
  name: string;
  backend: BackendName;
  createdAt: string;
  /** Absolute path of the topology file the lab was created from. */
  topologyFile: string;
  state: 'creating' | 'ready' | 'failed';
  /** The shop's namespace: the default of the lab kubeconfig's context. */
  namespace: string;
  /** Whether the lab runs Prometheus and Alertmanager. */
  monitoring: boolean;
}

export { SHOP_NAMESPACE } from '../topology/shop.ts';

// What a lab.json must hold; unknown keys (a newer version's) are kept. Records from before
// monitoring existed have no `monitoring`: such a lab has none.
const labRecordSchema: z.ZodType<LabRecord> = z.looseObject({
  name: z.string().min(1),
  backend: z.enum(['sim', 'kind', 'external']),
  createdAt: z.string().min(1),
  topologyFile: z.string().min(1),
  state: z.enum(['creating', 'ready', 'failed']),
  namespace: z.string().min(1),
  monitoring: z.boolean().default(false),
});

export const labRecordPath = (name: string): string => join(labDir(name), 'lab.json');
export const labKubeconfigPath = (name: string): string => join(labDir(name), 'kubeconfig');

export const writeLabRecord = (record: LabRecord): Promise<void> =>
  writePrivateJson(labRecordPath(record.name), record);

// The lab's record, or undefined when there is no such lab. A record that cannot be read or
// parsed is an error naming the file, never "no such lab".
export const readLabRecord = async (name: string): Promise<LabRecord | undefined> => {
  const path = labRecordPath(checkLabName(name));
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw brokenRecord(
      'io-failed',
      name,
      path,
      error,
      `check the permissions of ${path} (it should belong to you)`,
    );
  }
  try {
    const parsed = labRecordSchema.safeParse(JSON.parse(text), { reportInput: true });
    if (parsed.success) return parsed.data;
    throw new Error(
      `it is not a lab record: ${describeIssues(parsed.error.issues, labRecordSchema)
        .map((p) => p.text)
        .join('; ')}`,
    );
  } catch (error) {
    throw brokenRecord(
      'corrupt-record',
      name,
      path,
      error,
      `repair ${path}, or remove the lab's folder (rm -r ${labDir(name)}) once its cluster is gone`,
    );
  }
};

const brokenRecord = (
  code: ErrorCode,
  name: string,
  path: string,
  cause: unknown,
  fix: string,
): KartStreamError =>
  new KartStreamError(code, `the record of lab ${name} cannot be read`, {
    cause,
    details: [`${path}: ${cause instanceof Error ? cause.message : String(cause)}`],
    fix,
  });

// The record of a lab that must exist; a clear error names the labs there are.
export const requireLabRecord = async (name: string): Promise<LabRecord> => {
  const record = await readLabRecord(name);
  if (record) return record;
  const others = await listLabNames();
  throw new KartStreamError('not-found', `there is no lab named "${name}"`, {
    details: others.length ? [`labs here: ${others.join(', ')}`] : ['there are no labs yet'],
    fix: others.length
      ? `use --name ${others[0]}, or create it with \`${upCommand(name)}\``
      : `create one with \`${upCommand(name)}\``,
  });
};

// The names of the labs here (their folders); none when the labs folder does not exist yet.
export const listLabNames = async (): Promise<string[]> => {
  try {
    return (await readdir(labsDir())).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new KartStreamError('io-failed', `failed to list the labs in ${labsDir()}`, {
      cause: error,
      details: [(error as Error).message],
      fix: `check that ${labsDir()} is a folder you can read (KARTSTREAM_HOME moves it)`,
    });
  }
};

// Everything a backend needs to act on a lab.
export const labContext = async (record: Pick<LabRecord, 'name' | 'topologyFile'>): Promise<LabContext> => ({
  name: record.name,
  dir: labDir(record.name),
  kubeconfigPath: labKubeconfigPath(record.name),
  topology: await loadTopology(record.topologyFile),
});
