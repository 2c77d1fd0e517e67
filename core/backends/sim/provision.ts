// sim's `create`: the control plane started by kwokctl from the local binaries (on the asked
// port, or a free one), the lab's kubeconfig, the topology's nodes, and every node Ready.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreateOptions, LabContext } from '../cluster-backend.ts';
import { ensurePrivateDir } from '../../home/private-files.ts';
import { freePort, requireFreePort } from '../../kube/free-port.ts';
import { renderAuditPolicy } from '../../kube/audit-policy.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import { writeLabKubeconfig } from '../../kube/lab-kubeconfig.ts';
import { waitNodesReady } from '../../kube/readiness.ts';
import { serverSideApply } from '../../kube/server-side-apply.ts';
import { WatchStore } from '../../kube/watch-store.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { renderSimNodes } from '../../topology/render-sim-nodes.ts';
import { SHOP_NAMESPACE } from '../../topology/shop.ts';
import { requireSimBinaries } from './binaries.ts';
import { pickComponentPorts, renderKwokctlConfigFile } from './kwokctl-config.ts';
import {
  monitoringPortForward,
  shopFrontendPortForward,
  reserveMonitoringPorts,
} from './monitoring-ports.ts';
import { restartExitedMetricsServer } from './metrics-server-restart.ts';
import { kwokAdminKubeconfig, kwokctl, kwokMergedKubeconfig } from './kwokctl.ts';

// KWOK marks nodes Ready in batches: a big topology (the 1,000-node bench) on a busy machine
// needs longer than the six nodes of the default one.
const nodesReadyTimeoutMs = (nodes: number) => 60_000 + 100 * nodes;

export const provisionSimLab = async (
  lab: LabContext,
  task: TaskReporter,
  options: CreateOptions = {},
): Promise<void> => {
  const binaries = await requireSimBinaries();
  const apiPort = options.apiPort
    ? await requireFreePort(options.apiPort, 'the Kubernetes API', '--api-port')
    : await freePort();
  await ensurePrivateDir(lab.dir);
  const configFile = join(lab.dir, 'kwokctl.yaml');
  const auditPolicyFile = join(lab.dir, 'audit-policy.yaml');
  await writeFile(auditPolicyFile, renderAuditPolicy(SHOP_NAMESPACE), { mode: 0o600 });
  // kwok reads its port-forwards only now: the monitoring processes' host ports are fixed here.
  const monitoringPorts = await reserveMonitoringPorts(lab);
  const config = await renderKwokctlConfigFile({
    kubeApiserverPort: apiPort,
    componentPorts: await pickComponentPorts(),
    auditPolicyFile,
    extraDocuments: [monitoringPortForward(monitoringPorts), ...shopFrontendPortForward(monitoringPorts)],
    binaries: {
      kubeApiserver: binaries['kube-apiserver'],
      kubeControllerManager: binaries['kube-controller-manager'],
      kubeScheduler: binaries['kube-scheduler'],
      etcd: binaries.etcd,
      kwok: binaries.kwok,
      kubectl: binaries.kubectl,
      metricsServer: binaries['metrics-server'],
    },
  });
  await writeFile(configFile, config, { mode: 0o600 });
  if (!binaries['metrics-server'])
    task.log(
      'metrics-server is not installed: this lab has no Metrics API (no kubectl top, no usage on the map); npx kartstream sim install builds it with Go',
    );
  task.step(`Start the control plane (Kubernetes API on 127.0.0.1:${apiPort})`);
  await kwokctl(
    binaries.kwokctl,
    lab,
    [
      'create',
      'cluster',
      '--name',
      lab.name,
      '--config',
      configFile,
      '--kubeconfig',
      kwokMergedKubeconfig(lab),
      '--wait',
      '90s',
    ],
    // kwokctl puts the cluster's binaries dir first on PATH for kubectl, but it tries $PATH
    // first; the lab's kubectl keeps the client matching the server.
    {
      log: task.log,
      signal: task.signal,
      env: { PATH: `${join(binaries.kubectl, '..')}:${process.env.PATH ?? ''}` },
    },
  );
  await writeLabKubeconfig(kwokAdminKubeconfig(lab), lab.kubeconfigPath, lab.name, SHOP_NAMESPACE);
  const nodes = renderSimNodes(lab.topology);
  task.step(`Create ${nodes.length} simulated nodes`);
  const clients = kubeClients(lab.kubeconfigPath);
  await serverSideApply(clients, nodes, { signal: task.signal });

  task.step('Wait for every node to be Ready');
  const store = new WatchStore(clients);
  try {
    await store.start();
    await waitNodesReady(
      store,
      nodes.map((n) => n.metadata?.name ?? ''),
      { timeoutMs: nodesReadyTimeoutMs(nodes.length), signal: task.signal },
    );
  } finally {
    await store.stop();
  }
  if (binaries['metrics-server'])
    await restartExitedMetricsServer(lab, binaries.kwokctl, task.log, task.signal);
};
