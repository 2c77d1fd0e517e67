// The one --config file given to `kwokctl create cluster`: a KwokctlConfiguration (binaries,
// loopback-only binding, lab timers) followed by every Stage from infra/sim/stages/ and any extra
// kwok documents (e.g. the ClusterPortForward of the monitoring pods).
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../kube/free-port.ts';
import { metricsServerDocuments, metricsServerOptions } from './metrics-server-config.ts';

export const STAGES_DIR = fileURLToPath(new URL('../../../infra/sim/stages/', import.meta.url));

/** Lab timers: a dead node is noticed in seconds and its pods evicted in tens of seconds. */
export const LAB_TIMERS = {
  /** kwok's default 5 makes node leases 200 s, far too slow for a failover lab. */
  heartbeatFactor: 1,
  nodeMonitorGracePeriod: '30s',
  nodeMonitorPeriod: '2s',
  /** Seconds a pod tolerates a not-ready or unreachable node before it is evicted. */
  tolerationSeconds: 10,
} as const;

export interface KwokctlBinaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  etcd: string;
  kwok: string;
  kubectl: string;
  /** Optional: without it the lab has no Metrics API (no `kubectl top`, no usage on the map). */
  metricsServer?: string;
}

export interface KwokctlComponentPorts {
  etcdPort: number;
  etcdPeerPort: number;
  kwokControllerPort: number;
  kubeControllerManagerPort: number;
  kubeSchedulerPort: number;
  metricsServerPort: number;
}

export const pickComponentPorts = async (): Promise<KwokctlComponentPorts> => ({
  etcdPort: await freePort(),
  etcdPeerPort: await freePort(),
  kwokControllerPort: await freePort(),
  kubeControllerManagerPort: await freePort(),
  kubeSchedulerPort: await freePort(),
  metricsServerPort: await freePort(),
});

export interface KwokctlConfigInput {
  binaries: KwokctlBinaries;
  /** Ports picked by the backend, so a port in use is caught before kwokctl runs. */
  kubeApiserverPort: number;
  /**
   * The control plane's other host ports. Left to kwokctl, every cluster counts down from 32767
   * and skips only its own clusters' ports (each lab has its own KWOK_WORKDIR): two labs created
   * at once would take the same etcd port.
   */
  componentPorts: KwokctlComponentPorts;
  /** The API server's audit policy file (core/lab/audit-policy.ts); its log is kwokAuditLog(). */
  auditPolicyFile?: string;
  /** More kwok documents (ClusterPortForward, ClusterLogs...), loaded by the kwok controller. */
  extraDocuments?: readonly object[];
}

const arg = (key: string, value: string | number) => ({ key, value: String(value) });

// Renders the KwokctlConfiguration document.
export const renderKwokctlConfiguration = (input: KwokctlConfigInput) => ({
  apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
  kind: 'KwokctlConfiguration',
  options: {
    runtime: 'binary',
    // Pod logs: the lab agent creates one Logs object per pod (docs/pod-logs.md).
    enableCRDs: ['Logs'],
    // kwokctl binds etcd (no auth) and the apiserver to 0.0.0.0 by default: a laptop lab must
    // never expose them to the network.
    bindAddress: '127.0.0.1',
    // RBAC on: a participant's ServiceAccount gets only its role's rights (docs/sharing.md).
    kubeAuthorization: true,
    ...(input.auditPolicyFile ? { kubeAuditPolicy: input.auditPolicyFile } : {}),
    kubeApiserverPort: input.kubeApiserverPort,
    ...input.componentPorts,
    heartbeatFactor: LAB_TIMERS.heartbeatFactor,
    disableQPSLimits: true,
    kubeApiserverBinary: input.binaries.kubeApiserver,
    kubeControllerManagerBinary: input.binaries.kubeControllerManager,
    kubeSchedulerBinary: input.binaries.kubeScheduler,
    etcdBinary: input.binaries.etcd,
    kwokControllerBinary: input.binaries.kwok,
    kubectlBinary: input.binaries.kubectl,
    ...(input.binaries.metricsServer ? metricsServerOptions(input.binaries.metricsServer) : {}),
  },
  // A lab runs one controller manager and one scheduler: leader election would only add a way to
  // die. With it on, each exits for good once it cannot renew its lease for 10 s (the API server
  // down or restarting that long, the laptop asleep), and nothing restarts it: the lab keeps
  // answering kubectl while no pod is evicted, scheduled or rolled out again.
  componentsPatches: [
    {
      name: 'kube-controller-manager',
      extraArgs: [
        arg('node-monitor-grace-period', LAB_TIMERS.nodeMonitorGracePeriod),
        arg('node-monitor-period', LAB_TIMERS.nodeMonitorPeriod),
        arg('leader-elect', 'false'),
      ],
    },
    { name: 'kube-scheduler', extraArgs: [arg('leader-elect', 'false')] },
    {
      name: 'kube-apiserver',
      extraArgs: [
        arg('default-not-ready-toleration-seconds', LAB_TIMERS.tolerationSeconds),
        arg('default-unreachable-toleration-seconds', LAB_TIMERS.tolerationSeconds),
      ],
    },
  ],
});

// Reads the Stage documents shipped in infra/sim/stages/.
export const readStages = async (): Promise<string[]> => {
  const files = (await readdir(STAGES_DIR)).filter((f) => f.endsWith('.yaml')).sort();
  return Promise.all(files.map((f) => readFile(join(STAGES_DIR, f), 'utf8')));
};

// The whole config file: the configuration document, every stage document, the extra documents,
// then the metrics-server documents when it is on.
export const renderKwokctlConfigFile = async (input: KwokctlConfigInput): Promise<string> => {
  const stages = await readStages();
  const metrics = input.binaries.metricsServer ? metricsServerDocuments() : [];
  return [
    stringify(renderKwokctlConfiguration(input)),
    ...stages.map((s) => s.trim() + '\n'),
    ...(input.extraDocuments ?? []).map((d) => stringify(d)),
    ...metrics,
  ].join('---\n');
};
