// Helpers for the promote tests: the CLI run with moto's environment, and the independent boto3
// check (tests/python/check_promoted.py) read back as JSON.
import { execa } from 'execa';
import { join } from 'node:path';
import { cli, REPO, type CliResult } from '../helpers/lab-env.ts';

export interface PromotedReport {
  vpcs: { id: string; cidr: string }[];
  subnets: Record<string, { id: string; az: string; cidr: string; vpc: string; mapPublicIp: boolean }[]>;
  azsByTier: Record<string, string[]>;
  internetGateways: { id: string; attachedTo: string[] }[];
  natGateways: { id: string; state: string; subnetTier: string }[];
  routeTables: { id: string; tier: string | null; defaultRoute: string | null }[];
  securityGroups: { id: string; ingress: { from: number | null; to: number | null; cidrs: string[] }[] }[];
  sshOpenToTheWorld: boolean;
  roles: { name: string; trusts: string[]; policies: string[] }[];
  instances: { id: string; state: string; subnetTier: string; instanceProfile: boolean }[];
  cluster: { name: string; status: string; version: string; subnetTiers: string[] } | null;
  nodegroups: {
    name: string;
    status: string;
    instanceTypes: string[];
    labels: Record<string, string>;
    taints: { key: string; value: string; effect: string }[];
    scaling: { minSize: number; maxSize: number; desiredSize: number };
    subnetTiers: string[];
  }[];
  taggedCount: number;
}

export const promoteCli = (env: Record<string, string>, args: string[]): Promise<CliResult> =>
  cli(['promote', ...args], env);

// boto3's view of a lab; the script's own assertions (no SSH open, labels and taints) must pass.
export const checkPromoted = async (
  env: Record<string, string>,
  lab = 'kartstream',
  region = 'eu-west-1',
): Promise<PromotedReport> => {
  const result = await execa(
    'python3',
    [
      join(REPO, 'tests/python/check_promoted.py'),
      '--endpoint',
      env.AWS_ENDPOINT_URL ?? '',
      '--region',
      region,
      '--lab',
      lab,
    ],
    { env: { ...process.env, ...env }, reject: false },
  );
  if (result.exitCode !== 0)
    throw new Error(`check_promoted.py failed (${result.exitCode}):\n${result.stderr}`);
  return JSON.parse(String(result.stdout)) as PromotedReport;
};
