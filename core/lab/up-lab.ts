// `up`: create (or converge) a lab: cluster with the topology's pools, the shop deployed, every
// workload available. Runs as a task; on failure the backend's logs join the task log and
// nothing of a half-created lab is left running.
import { join, resolve } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';

import type { ClusterBackend, LabContext } from '../backends/cluster-backend.ts';
import { chooseBackend, backendByName } from '../backends/choose-backend.ts';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { requireFreePort } from '../kube/free-port.ts';
import {
  monitoringFindings,
  monitoringManifests,
  requireMonitoringTools,
  runsOnHost,
  startLabMonitoring,
  stopLabMonitoring,
} from '../monitoring/lab-monitoring.ts';
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { WatchStore } from '../kube/watch-store.ts';
import { deployStack } from '../stack/deploy-stack.ts';
import { waitDeploymentsAvailable } from '../kube/readiness.ts';
import { imagesOf, renderStack } from '../stack/render-overlay.ts';
import { runTask, type RunTaskOptions, type TaskReporter } from '../tasks/task.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../topology/load-topology.ts';
import { checkLabName, upCommand } from '../home/lab-name.ts';
import { labContext, readLabRecord, SHOP_NAMESPACE, writeLabRecord, type LabRecord } from './lab-record.ts';
import { snapshotFrom, type LabSnapshot } from './lab-snapshot.ts';
import { withLabLock } from './lab-lock.ts';

export interface UpOptions {
  name: string;
  backend?: string;
  topologyFile?: string;
  apiPort?: number;
  /** How long workloads may take to become available. */
  timeoutMs?: number;
  /** Skip Prometheus and Alertmanager. */
  noMonitoring?: boolean;
}

export interface UpResult {
  record: LabRecord;
  backendReason: string;
  created: boolean;
  snapshot: LabSnapshot;
  taskLog: string;
}

const WORKLOADS_TIMEOUT_MS = 180_000;

// One command at a time on a lab (lab-lock.ts): a second `up`, a `down` or a `reset` is refused.
export const upLab = async (options: UpOptions, taskOptions: RunTaskOptions = {}): Promise<UpResult> => {
  const name = checkLabName(options.name);
  return withLabLock(name, 'up', () => upLocked(name, options, taskOptions));
};

// Everything is checked before anything is created: name, backend, topology.
const upLocked = async (name: string, options: UpOptions, taskOptions: RunTaskOptions): Promise<UpResult> => {
  const existing = await readLabRecord(name);
  if (existing?.backend === 'external')
    throw new KartStreamError(
      'invalid-input',
      `lab ${name} is an attached cluster: \`up\` does not create or deploy it`,
      {
        fix: `see it with: npx kartstream status --name ${name}; to deploy the shop, attach it again with --deploy (after npx kartstream down --name ${name})`,
      },
    );
  const topologyFile = resolve(options.topologyFile ?? existing?.topologyFile ?? DEFAULT_TOPOLOGY_FILE);
  const topology = await loadTopology(topologyFile);
  const choice =
    existing && !options.backend
      ? {
          backend: backendByName(existing.backend),
          reason: `the lab already exists on the ${existing.backend} backend`,
        }
      : await chooseBackend(options.backend);
  const backend = choice.backend;
  // A backend that cannot run here (no Docker engine, missing binaries it cannot build) says
  // so before anything is created; what ensureTools can build or download is got later.
  if (!existing) {
    const availability = await backend.detect();
    if (!availability.available && !availability.installable) {
      throw new KartStreamError(
        'backend-unavailable',
        `the ${backend.name} backend cannot run here: ${availability.reason}`,
        {
          fix: `${availability.fix ?? 'see: npx kartstream doctor'}; or use --backend sim`,
        },
      );
    }
  }
  const withMonitoring = !options.noMonitoring;
  // Recorded: whether the lab has monitoring (pods on every backend).
  const monitoring = withMonitoring;
  // sim: the real processes behind the pods run on this machine, started by the engine.
  const hostMonitoring = withMonitoring && runsOnHost(backend.monitoring);
  if (withMonitoring) await requireMonitoringTools(backend.monitoring);
  // A chosen port that is taken is refused before anything is created.
  if (options.apiPort !== undefined)
    await requireFreePort(options.apiPort, 'the Kubernetes API', '--api-port');
  const lab: LabContext = { ...(await labContext({ name, topologyFile })), topology };
  const record: LabRecord = {
    name,
    backend: backend.name,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
    topologyFile,
    state: 'creating',
    namespace: SHOP_NAMESPACE,
    monitoring,
  };

  let created = false;
  let taskLog = '';
  const snapshot = await runTask(
    `Start lab ${name}`,
    async (task) => {
      taskLog = task.logPath;
      task.log(`backend: ${backend.name} (${choice.reason})`);
      // The manifests render while the cluster starts; a broken overlay still fails the task.
      const startRendering = () => {
        // The monitoring pods deploy with the shop on every backend.
        const started = simKubectl().then(async ({ kubectl }) => [
          ...(await renderStack(kubectl, backend.shopOverlay, topology)),
          ...(withMonitoring ? await monitoringManifests(backend.monitoring, kubectl) : []),
        ]);
        started.catch(() => undefined);
        return started;
      };
      let rendering: Promise<KubernetesObject[]> | undefined;
      try {
        // A record still 'creating' is what an `up` killed before the end leaves (it held the
        // lock, so it is gone): its cluster may run but lack nodes or pods, so it is made again.
        const interrupted = existing?.state === 'creating';
        const running = existing && !interrupted ? await backend.isRunning(lab) : false;
        if (running) {
          task.step('Use the running cluster');
        } else {
          if (existing) {
            task.step(
              interrupted
                ? 'Remove what is left of an `up` that was interrupted'
                : 'Remove what is left of the previous run',
            );
            await stopLabMonitoring(lab, task);
            await backend.delete(lab, task);
          }
          await backend.ensureTools(task);
          const objects = startRendering();
          rendering = objects;
          task.step(`Create the ${backend.name} cluster`);
          await writeLabRecord(record);
          created = true;
          await backend.create(lab, task, {
            apiPort: options.apiPort,
            images: async () => imagesOf(await objects),
          });
        }
        // Monitoring starts beside the deploy: it only needs the API, not the shop.
        const monitoringStarted = hostMonitoring
          ? startLabMonitoring(backend.monitoring, lab, task)
          : undefined;
        monitoringStarted?.catch(() => undefined);
        if (hostMonitoring) task.log('starting Prometheus, Alertmanager and the lab agent');
        const snapshot = await deployAndWait(
          lab,
          record,
          rendering ?? startRendering(),
          backend,
          task,
          options.timeoutMs ?? WORKLOADS_TIMEOUT_MS,
        );
        if (monitoringStarted) {
          task.step('Wait for Prometheus, Alertmanager and the lab agent');
          const endpoints = await monitoringStarted;
          if (endpoints) snapshot.monitoring = endpoints;
        }
        await writeLabRecord(record);
        return snapshot;
      } catch (error) {
        const findings = [
          ...(await backend.diagnose(lab).catch(() => [])),
          ...(await monitoringFindings(lab).catch(() => [])),
        ];
        if (created) await cleanUpFailedLab(backend, lab, task);
        throw explainFailure(error, findings, name, created);
      }
    },
    taskOptions,
  );
  return { record, backendReason: choice.reason, created, snapshot, taskLog };
};

const deployAndWait = async (
  lab: LabContext,
  record: LabRecord,
  rendering: Promise<KubernetesObject[]>,
  backend: ClusterBackend,
  task: TaskReporter,
  timeoutMs: number,
): Promise<LabSnapshot> => {
  const clients = kubeClients(lab.kubeconfigPath);
  const store = new WatchStore(clients);
  try {
    // The backend's create waited for every node to be Ready.
    await store.start();
    task.step('Deploy the shop');
    const objects = await rendering;
    await deployStack(clients, objects, task);
    const byNamespace = new Map<string, string[]>();
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const ns = d.metadata?.namespace ?? SHOP_NAMESPACE;
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), d.metadata?.name ?? '']);
    }
    const count = [...byNamespace.values()].flat().length;
    task.step(`Wait for the ${count} workloads to be available`);
    for (const [ns, names] of byNamespace)
      await waitDeploymentsAvailable(store, ns, names, { timeoutMs, signal: task.signal });
    record.state = 'ready';
    const snapshot = snapshotFrom(store, lab, record, clients.config.getCurrentCluster()?.server);
    const shopUrl = backend.shopUrl(lab);
    if (shopUrl) snapshot.shopUrl = shopUrl;
    return snapshot;
  } finally {
    await store.stop();
  }
};

// kubectl for rendering: the lab's own (matching the server), else the one on PATH.
const simKubectl = async (): Promise<{ kubectl: string }> => {
  const report = await findSimBinaries();
  return { kubectl: report.found.kubectl?.path ?? 'kubectl' };
};

// A failure says what broke in the cluster (e.g. a dead apiserver) and that nothing was left.
const explainFailure = (error: unknown, findings: string[], name: string, created: boolean): unknown => {
  if (!isKartStreamError(error) && !(error instanceof Error)) return error;
  const wrapped = isKartStreamError(error)
    ? error
    : new KartStreamError('cluster-failed', `failed to start lab ${name}: ${error.message}`, {
        cause: error,
      });
  wrapped.details.push(...findings);
  if (created)
    wrapped.details.push(`the half-created lab was stopped and removed; run \`${upCommand(name)}\` again`);
  return wrapped;
};

const cleanUpFailedLab = async (
  backend: ClusterBackend,
  lab: LabContext,
  task: TaskReporter,
): Promise<void> => {
  const logsDir = join(task.logPath, '..', `${backend.name}-logs`);
  task.log(
    `the lab failed to start: keeping the ${backend.name} logs in ${logsDir} and removing the half-created lab`,
  );
  await backend.collectLogs(lab, logsDir).catch(() => undefined);
  await stopLabMonitoring(lab, task).catch(() => undefined);
  await backend
    .delete(lab, task)
    .catch((error: unknown) => task.log(`cleanup failed: ${(error as Error).message}`));
};
