// `attach`: registers a cluster KartStream did not create as a lab (backend `external`). The
// chosen context is copied into the lab's private kubeconfig, the API is reached, the topology's
// four pools and the shop are checked, and what is missing is said exactly; `deploy` applies the
// shop and the generic in-cluster monitoring overlay first. Nothing of the cluster is deleted,
// ever; a failed attach leaves no lab behind (but for what --deploy applied, which it names).
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { KubernetesObject, V1Service } from '@kubernetes/client-node';
import { externalBackend } from '../backends/external/backend.ts';
import { checkApiAccess, checkCredentialPlugin } from '../backends/external/api-access.ts';
import { writeAttachment, type AppliedObject } from '../backends/external/attachment.ts';
import {
  chooseContext,
  execPlugin,
  readKubeconfigFile,
  renderAttachedKubeconfig,
  writeKubeconfig,
} from '../backends/external/kubeconfig.ts';
import { missingPoolParts } from '../backends/external/nodes.ts';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { checkLabName } from '../home/lab-name.ts';
import type { KubeClients } from '../kube/kube-client.ts';
import { waitDeploymentsAvailable } from '../kube/readiness.ts';
import { WatchStore } from '../kube/watch-store.ts';
import { monitoringManifests } from '../monitoring/lab-monitoring.ts';
import { MONITORING_NAMESPACE } from '../monitoring/monitoring-access.ts';
import { deployStack, deploymentNames } from '../stack/deploy-stack.ts';
import { renderStack } from '../stack/render-overlay.ts';
import { runTask, type RunTaskOptions, type TaskReporter } from '../tasks/task.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../topology/load-topology.ts';
import { labContext, readLabRecord, SHOP_NAMESPACE, writeLabRecord, type LabRecord } from './lab-record.ts';
import { labSnapshot, type LabSnapshot } from './lab-snapshot.ts';

export interface AttachOptions {
  name: string;
  kubeconfig: string;
  context?: string;
  /** Apply the shop and the in-cluster monitoring before checking for them. */
  deploy?: boolean;
  topologyFile?: string;
  /** How long deployed workloads may take to become available. */
  timeoutMs?: number;
}

export interface AttachResult {
  record: LabRecord;
  snapshot: LabSnapshot;
  taskLog: string;
}

const WORKLOADS_TIMEOUT_MS = 300_000;

// The frontend-external LoadBalancer's address, when the cluster gave it one.
export const loadBalancerUrl = (service: V1Service | undefined): string | undefined => {
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  const host = ingress?.hostname ?? ingress?.ip;
  if (!host) return undefined;
  const port = service?.spec?.ports?.[0]?.port ?? 80;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}${port === 80 ? '' : `:${port}`}`;
};

export const readShopUrl = async (clients: KubeClients): Promise<string | undefined> =>
  loadBalancerUrl(
    await clients.core
      .readNamespacedService({ name: 'frontend-external', namespace: SHOP_NAMESPACE })
      .catch(() => undefined),
  );

const identity = (o: KubernetesObject): AppliedObject => ({
  apiVersion: o.apiVersion ?? 'v1',
  kind: o.kind ?? '',
  name: o.metadata?.name ?? '',
  ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
});

export const attachLab = async (
  options: AttachOptions,
  taskOptions: RunTaskOptions = {},
): Promise<AttachResult> => {
  const name = checkLabName(options.name);
  const existing = await readLabRecord(name);
  if (existing)
    throw new KartStreamError('conflict', `there is already a lab named ${name} (${existing.backend})`, {
      fix: `pick another --name, or forget it first: npx kartstream down --name ${name}`,
    });
  const topologyFile = resolve(options.topologyFile ?? DEFAULT_TOPOLOGY_FILE);
  const topology = await loadTopology(topologyFile);
  // The kubeconfig is checked before anything is written: file, context, credential plugin.
  const source = resolve(options.kubeconfig);
  const chosen = chooseContext(await readKubeconfigFile(source), source, options.context);
  const plugin = execPlugin(chosen.user, dirname(source));
  if (plugin) await checkCredentialPlugin(plugin, source);
  const lab = { ...(await labContext({ name, topologyFile })), topology };
  const backend = externalBackend();
  const record: LabRecord = {
    name,
    backend: 'external',
    createdAt: new Date().toISOString(),
    topologyFile,
    state: 'creating',
    namespace: SHOP_NAMESPACE,
    // Set once the cluster is checked: whether Prometheus and Alertmanager Services are there.
    monitoring: false,
  };
  let taskLog = '';
  const snapshot = await runTask(
    `Attach lab ${name}`,
    async (task) => {
      taskLog = task.logPath;
      const applied: AppliedObject[] = [];
      await writeLabRecord(record);
      try {
        task.step(`Copy context ${chosen.context} into the lab's private kubeconfig`);
        await writeKubeconfig(
          lab.kubeconfigPath,
          await renderAttachedKubeconfig(chosen, name, SHOP_NAMESPACE),
        );
        task.step(`Reach the API server at ${chosen.server}`);
        const clients = await checkApiAccess(
          lab.kubeconfigPath,
          chosen.server,
          `${source} (context ${chosen.context})`,
        );
        task.step("Check the topology's pools: labels, taints, Ready nodes");
        const missing = missingPoolParts((await clients.core.listNode()).items, topology);
        if (missing.length > 0)
          throw new KartStreamError(
            'invalid-input',
            `the cluster of context ${chosen.context} lacks what the topology's pools need`,
            {
              details: missing,
              fix: `give the nodes the labels and taints named above (the commands are given), or attach a cluster that has them; the pools are described in ${topologyFile}`,
            },
          );
        const kubectl = (await findSimBinaries()).found.kubectl?.path ?? 'kubectl';
        const shop = await renderStack(kubectl, backend.shopOverlay, topology);
        if (options.deploy)
          await deploy(
            clients,
            [...shop, ...(await monitoringManifests(backend.monitoring, kubectl))],
            applied,
            lab.dir,
            chosen,
            task,
            options.timeoutMs,
          );
        task.step('Check the shop');
        const present = new Set(
          (await clients.apps.listNamespacedDeployment({ namespace: SHOP_NAMESPACE })).items.map(
            (d) => d.metadata?.name,
          ),
        );
        const absent = deploymentNames(shop).filter((d) => !present.has(d));
        if (absent.length > 0)
          throw new KartStreamError(
            'invalid-input',
            `the cluster of context ${chosen.context} does not run the shop`,
            {
              details: absent.map((d) => `Deployment ${SHOP_NAMESPACE}/${d} is missing`),
              fix: `attach with --deploy to apply the shop (and the in-cluster monitoring): npx kartstream attach --name ${name} --kubeconfig ${options.kubeconfig}${options.context ? ` --context ${options.context}` : ''} --deploy`,
            },
          );
        task.step('Look for the monitoring Services (reached through port-forwards, as on every backend)');
        record.monitoring = await hasMonitoringServices(clients);
        const shopUrl = await readShopUrl(clients);
        await writeAttachment(lab.dir, {
          source,
          context: chosen.context,
          server: chosen.server,
          ...(shopUrl ? { shopUrl } : {}),
          applied,
        });
        record.state = 'ready';
        await writeLabRecord(record);
        const snapshot = await labSnapshot(lab, record);
        return snapshot;
      } catch (error) {
        if (applied.length === 0) await rm(lab.dir, { recursive: true, force: true });
        else {
          record.state = 'failed';
          await writeLabRecord(record);
          if (error instanceof KartStreamError)
            error.details.push(
              `what --deploy applied stays; remove it with: npx kartstream down --name ${name} --remove-deployed`,
            );
        }
        throw error;
      }
    },
    taskOptions,
  );
  return { record, snapshot, taskLog };
};

// Applies the shop and monitoring, recording each object (namespaces last, so `down
// --remove-deployed` deletes their contents first), then waits for every Deployment.
const deploy = async (
  clients: KubeClients,
  objects: KubernetesObject[],
  applied: AppliedObject[],
  dir: string,
  chosen: { source?: string; context: string; server: string; file: string },
  task: TaskReporter,
  timeoutMs = WORKLOADS_TIMEOUT_MS,
): Promise<void> => {
  task.step('Deploy the shop and the in-cluster monitoring');
  // A namespace that was there before is the user's: only its objects are KartStream's.
  const existed = new Set((await clients.core.listNamespace()).items.map((n) => n.metadata?.name));
  const created = objects.filter((o) => o.kind === 'Namespace' && !existed.has(o.metadata?.name));
  applied.push(...objects.filter((o) => o.kind !== 'Namespace').map(identity), ...created.map(identity));
  await writeAttachment(dir, {
    source: chosen.file,
    context: chosen.context,
    server: chosen.server,
    applied,
  });
  await deployStack(clients, objects, task);
  const store = new WatchStore(clients);
  try {
    await store.start();
    const byNamespace = new Map<string, string[]>();
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const ns = d.metadata?.namespace ?? SHOP_NAMESPACE;
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), d.metadata?.name ?? '']);
    }
    task.step(`Wait for the ${[...byNamespace.values()].flat().length} Deployments to be available`);
    for (const [ns, names] of byNamespace)
      await waitDeploymentsAvailable(store, ns, names, { timeoutMs, signal: task.signal });
  } finally {
    await store.stop();
  }
};

// The engine reaches a lab's monitoring through svc/prometheus and svc/alertmanager in namespace
// monitoring (monitoring-access.ts): an attached cluster has monitoring when both are there.
const hasMonitoringServices = async (clients: KubeClients): Promise<boolean> => {
  const names = new Set(
    (await clients.core.listNamespacedService({ namespace: MONITORING_NAMESPACE })).items.map(
      (s) => s.metadata?.name,
    ),
  );
  return names.has('prometheus') && names.has('alertmanager');
};
