// Resolves what every promote command works on: the lab name, the topology, the region (flag,
// else the region the lab was promoted to, else the topology's), the profile and the clients.
import { readFile, rm } from 'node:fs/promises';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { writePrivateJson } from '../home/private-files.ts';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../topology/load-topology.ts';
import type { Topology } from '../topology/schema.ts';
import { awsClients, type AwsClients } from './aws-clients.ts';
import {
  NAT_MODES,
  promoteDir,
  promoteNames,
  promoteRecordPath,
  type NatMode,
  type PromoteNames,
} from './names.ts';
import { checkRegion } from './regions.ts';

export interface PromoteOptions {
  name?: string;
  region?: string;
  profile?: string;
  topologyFile?: string;
  /** `single` or `per-az`; when absent, what the lab's stack has, else `single`. */
  nat?: string;
}

export interface PromoteContext {
  names: PromoteNames;
  topology: Topology;
  topologyFile: string;
  clients: AwsClients;
  nat?: NatMode;
}

/** What the last apply used, so status/scale/destroy find the lab without repeating flags. */
export interface PromoteRecord {
  lab: string;
  region: string;
  profile?: string;
  topologyFile: string;
  updatedAt: string;
}

// The lab's promote record, or undefined when it was never promoted. A record that cannot be
// read or parsed is an error: falling back to defaults would act on another region or profile.
export const readPromoteRecord = async (lab: string): Promise<PromoteRecord | undefined> => {
  const path = promoteRecordPath(lab);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KartStreamError('io-failed', `failed to read the promote record of lab ${lab}`, {
      cause: error,
      details: [`${path}: ${(error as Error).message}`],
      fix: `check the file's permissions (it should belong to you, mode 600)`,
    });
  }
  try {
    const record = JSON.parse(text) as PromoteRecord;
    if (typeof record !== 'object' || record === null || typeof record.region !== 'string')
      throw new Error('it is not a promote record (no "region")');
    return record;
  } catch (error) {
    throw new KartStreamError('corrupt-record', `the promote record of lab ${lab} is corrupt`, {
      cause: error,
      details: [`${path}: ${(error as Error).message}`],
      fix: `delete it (rm ${path}) and pass --region and --profile (if any) to the next promote command`,
    });
  }
};

export const writePromoteRecord = (ctx: PromoteContext): Promise<void> =>
  writePrivateJson(promoteRecordPath(ctx.names.lab), {
    lab: ctx.names.lab,
    region: ctx.names.region,
    profile: ctx.clients.profile,
    topologyFile: ctx.topologyFile,
    updatedAt: new Date().toISOString(),
  } satisfies PromoteRecord);

export const removePromoteFiles = (lab: string): Promise<void> =>
  rm(promoteDir(lab), { recursive: true, force: true });

export const checkNatMode = (value: string): NatMode => {
  if ((NAT_MODES as readonly string[]).includes(value)) return value as NatMode;
  throw new KartStreamError(
    'invalid-input',
    `--nat: got ${JSON.stringify(value)}, expected single or per-az`,
    {
      fix: 'use --nat single (one NAT gateway, cheaper) or --nat per-az (one per availability zone)',
    },
  );
};

// Checks every input before any AWS call.
export const promoteContext = async (options: PromoteOptions): Promise<PromoteContext> => {
  const lab = checkLabName(options.name ?? DEFAULT_LAB_NAME);
  const record = await readPromoteRecord(lab);
  const topologyFile = options.topologyFile ?? record?.topologyFile ?? DEFAULT_TOPOLOGY_FILE;
  const topology = await loadTopology(topologyFile);
  const region = checkRegion(options.region ?? record?.region ?? topology.eks.region);
  const nat = options.nat === undefined ? undefined : checkNatMode(options.nat);
  const clients = awsClients({ region, profile: options.profile ?? record?.profile });
  return { names: promoteNames(lab, region), topology, topologyFile, clients, nat };
};
