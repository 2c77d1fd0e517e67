// Renders the topology's pools as Node objects for the sim backend, where KWOK plays their
// kubelets: same labels, taints and zones as on kind and EKS, with the pool's simulated capacity.
import type { V1Node } from '@kubernetes/client-node';
import type { Pool, Topology } from './schema.ts';
import { zoneLabels } from './zones.ts';

// Node names read like the pool they belong to: backend-1, backend-2, ...
export const simNodeName = (pool: string, index: number): string => `${pool}-${index}`;

// One simulated Node; `index` is 1-based within its pool.
export const renderSimNode = (topology: Topology, pool: Pool, index: number): V1Node => {
  const name = simNodeName(pool.name, index);
  const resources = {
    cpu: pool.capacity.cpu,
    memory: pool.capacity.memory,
    pods: String(pool.capacity.pods),
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
        // metrics-server (≥ 0.7) scrapes this path on the node's kubelet port, which kwok serves
        // with the usage of the node's pods (see docs/metrics.md).
        'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource`,
      },
      labels: {
        ...pool.labels,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': pool.eks.instanceType,
        ...zoneLabels(topology, pool, index),
        type: 'kwok',
      },
    },
    spec: {
      providerID: `kwok://${name}`,
      taints: [{ key: pool.taint.key, value: pool.taint.value, effect: pool.taint.effect }],
    },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'kwok',
        kubeProxyVersion: 'kwok',
        bootID: '',
        containerRuntimeVersion: 'kwok',
        kernelVersion: '',
        machineID: '',
        osImage: 'KWOK simulated node',
        systemUUID: '',
      },
    },
  };
};

// Every simulated node of the topology, pool by pool.
export const renderSimNodes = (topology: Topology): V1Node[] =>
  topology.pools.flatMap((pool) =>
    Array.from({ length: pool.nodes }, (_, i) => renderSimNode(topology, pool, i + 1)),
  );
