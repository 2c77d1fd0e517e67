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

export const readPromoteRecord = async (lab: string): Promise<PromoteRecord | undefined> => {
  try {
    return JSON.parse(await readFile(promoteRecordPath(lab), 'utf8')) as PromoteRecord;
  } catch {
    return undefined;
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
