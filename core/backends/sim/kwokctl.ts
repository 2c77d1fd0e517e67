// Runs kwokctl for one lab. Its work dir lives inside the lab dir (never ~/.kwok), and it is
// always given a kubeconfig path of its own so it never edits the user's ~/.kube/config.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabContext } from '../cluster-backend.ts';
import { runCommand, type RunOptions } from '../../exec/run-command.ts';

export const kwokWorkdir = (lab: Pick<LabContext, 'dir'>): string => join(lab.dir, 'kwok');
export const kwokClusterDir = (lab: Pick<LabContext, 'dir' | 'name'>): string =>
  join(kwokWorkdir(lab), 'clusters', lab.name);
/** The admin kubeconfig kwokctl writes for the cluster. */
export const kwokAdminKubeconfig = (lab: Pick<LabContext, 'dir' | 'name'>): string =>
  join(kwokClusterDir(lab), 'kubeconfig.yaml');
/** The API server's audit log, JSON lines (kwokctl's binary runtime writes it under logs/). */
export const kwokAuditLog = (lab: Pick<LabContext, 'dir' | 'name'>): string =>
  join(kwokClusterDir(lab), 'logs', 'audit.log');
/** Where kwokctl merges its context; a throwaway file of the lab's. */
export const kwokMergedKubeconfig = (lab: Pick<LabContext, 'dir'>): string =>
  join(lab.dir, 'kwokctl-kubeconfig.yaml');

// Runs `kwokctl <args>` for the lab.
export const kwokctl = (
  binary: string,
  lab: Pick<LabContext, 'dir'>,
  args: string[],
  options: RunOptions = {},
): Promise<string> =>
  runCommand(binary, args, {
    ...options,
    env: { ...process.env, ...options.env, KWOK_WORKDIR: kwokWorkdir(lab) },
  });

// The lab's control-plane processes (component name and pid), from kwokctl's pid files.
export const labProcesses = async (
  lab: Pick<LabContext, 'dir' | 'name'>,
): Promise<{ component: string; pid: number }[]> => {
  const dir = join(kwokClusterDir(lab), 'pids');
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.pid'));
  const entries = await Promise.all(
    files.map(async (f) => ({
      component: f.replace(/\.pid$/, ''),
      pid: Number.parseInt(await readFile(join(dir, f), 'utf8'), 10),
    })),
  );
  return entries.filter((e) => Number.isInteger(e.pid) && e.pid > 0);
};

export const labPids = async (lab: Pick<LabContext, 'dir' | 'name'>): Promise<number[]> =>
  (await labProcesses(lab)).map((p) => p.pid);
