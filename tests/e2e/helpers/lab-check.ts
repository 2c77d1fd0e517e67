// The independent view of the lab: kubectl from PATH with the lab's kubeconfig (what the page
// shows is compared with this), and the pools as infra/topology.yaml declares them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1DeploymentList, V1NodeList, V1PodList } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { kubectlJson, REPO } from '../../integration/helpers/lab-env.ts';

export interface TopologyPool {
  name: string;
  nodes: number;
  taint: { key: string; value: string; effect: string };
}

export const topologyPools = (): TopologyPool[] =>
  (parse(readFileSync(join(REPO, 'infra/topology.yaml'), 'utf8')) as { pools: TopologyPool[] }).pools;

/** Where manifests/components/placement puts each workload: frontend and loadgenerator, redis-cart, the rest. */
export const expectedPool = (workload: string): string =>
  ({ frontend: 'frontend', loadgenerator: 'frontend', 'redis-cart': 'database' })[workload] ?? 'backend';

export interface LabNode {
  name: string;
  pool: string;
  ready: boolean;
}

export interface LabPod {
  name: string;
  app: string;
  node: string;
  phase: string;
  terminating: boolean;
}

export const labNodes = async (kubeconfig: string): Promise<LabNode[]> =>
  (await kubectlJson<V1NodeList>(kubeconfig, ['get', 'nodes'])).items.map((n) => ({
    name: n.metadata?.name ?? '',
    pool: n.metadata?.labels?.pool ?? '',
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  }));

/** The shop's pods (the kubeconfig's namespace). */
export const labPods = async (kubeconfig: string): Promise<LabPod[]> =>
  (await kubectlJson<V1PodList>(kubeconfig, ['get', 'pods'])).items.map((p) => ({
    name: p.metadata?.name ?? '',
    app: p.metadata?.labels?.app ?? '',
    node: p.spec?.nodeName ?? '',
    phase: p.status?.phase ?? '',
    terminating: Boolean(p.metadata?.deletionTimestamp),
  }));

/** name -> [available, desired] of the shop's Deployments. */
export const labDeployments = async (kubeconfig: string): Promise<Map<string, [number, number]>> =>
  new Map(
    (await kubectlJson<V1DeploymentList>(kubeconfig, ['get', 'deployments'])).items.map((d) => [
      d.metadata?.name ?? '',
      [d.status?.availableReplicas ?? 0, d.spec?.replicas ?? 0],
    ]),
  );

export const allAvailable = (deployments: Map<string, [number, number]>): boolean =>
  deployments.size > 0 && [...deployments.values()].every(([available, desired]) => available === desired);
