// The lab's containers as the engine knows them, found by kind's own labels (never by name
// patterns): what `down` checks is gone, and what `diagnose` reports as paused or stopped.
import type Docker from 'dockerode';
import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL } from './pins.ts';

export interface LabContainer {
  name: string;
  role: string;
  /** created, running, paused, restarting, exited, dead. */
  state: string;
}

/** The engine API filter for one kind cluster's containers (what `kind get nodes` uses too). */
export const clusterFilter = (cluster: string) => ({ label: [`${KIND_CLUSTER_LABEL}=${cluster}`] });

/** Every container of a kind cluster, running or not. */
export const listLabContainers = async (docker: Docker, cluster: string): Promise<LabContainer[]> => {
  const containers = await docker.listContainers({ all: true, filters: clusterFilter(cluster) });
  return containers
    .map((c) => ({
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      role: c.Labels[KIND_ROLE_LABEL] ?? '',
      state: c.State,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
};

/** Findings for `diagnose`: nodes whose container is not running. */
export const containerFindings = (containers: readonly LabContainer[]): string[] =>
  containers
    .filter((c) => c.state !== 'running')
    .map((c) =>
      c.state === 'paused'
        ? `node container ${c.name} is paused (a failed or scaled-down node; heal or scale the pool up to unpause it)`
        : `node container ${c.name} is ${c.state}`,
    );
