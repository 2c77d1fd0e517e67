// Renders the topology as a kind cluster config (kind.x-k8s.io/v1alpha4): one worker per pool
// node, labelled (pool, zone, region) through kind's `labels` field and tainted through a
// JoinConfiguration patch. The control plane has no zone: it is no pool's node, as on EKS.
import { stringify } from 'yaml';
import type { Pool, Topology } from './schema.ts';
import { zoneLabels } from './zones.ts';

export interface KindNode {
  role: 'control-plane' | 'worker';
  image?: string;
  labels?: Record<string, string>;
  kubeadmConfigPatches?: string[];
  extraMounts?: { hostPath: string; containerPath: string }[];
  extraPortMappings?: { containerPort: number; hostPort: number; listenAddress: string; protocol: 'TCP' }[];
}

export interface KindConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  /** Set only when the API server port is chosen (`up --api-port`); kind picks one otherwise. */
  networking?: { apiServerAddress: string; apiServerPort: number };
  nodes: KindNode[];
}

// Workers run `kubeadm join`, so only a JoinConfiguration patch reaches them. The patch has no
// apiVersion on purpose: kind then applies it to whichever kubeadm API version it uses.
const taintPatch = (pool: Pool): string =>
  stringify({
    kind: 'JoinConfiguration',
    nodeRegistration: {
      taints: [{ key: pool.taint.key, value: pool.taint.value, effect: pool.taint.effect }],
    },
  });

// Builds the kind config for a lab. The frontend NodePort is mapped on the control plane: it is
// never failed by a scenario, and kube-proxy forwards a NodePort from any node.
export const renderKindConfig = (
  topology: Topology,
  options: { name: string; nodeImage?: string; apiServerPort?: number },
): KindConfig => {
  const image = options.nodeImage ? { image: options.nodeImage } : {};
  const access = topology.frontendAccess;
  const controlPlanes: KindNode[] = Array.from({ length: topology.controlPlane.nodes }, (_, i) => ({
    role: 'control-plane',
    ...image,
    ...(i === 0
      ? {
          extraPortMappings: [
            {
              containerPort: access.nodePort,
              hostPort: access.hostPort,
              listenAddress: access.listenAddress,
              protocol: 'TCP',
            },
          ],
        }
      : {}),
  }));
  const workers: KindNode[] = topology.pools.flatMap((pool) =>
    Array.from({ length: pool.nodes }, (_, i) => ({
      role: 'worker' as const,
      ...image,
      labels: { ...pool.labels, ...zoneLabels(topology, pool, i + 1) },
      kubeadmConfigPatches: [taintPatch(pool)],
    })),
  );
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: options.name,
    ...(options.apiServerPort !== undefined
      ? { networking: { apiServerAddress: '127.0.0.1', apiServerPort: options.apiServerPort } }
      : {}),
    nodes: [...controlPlanes, ...workers],
  };
};
