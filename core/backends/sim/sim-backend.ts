// The sim backend: a real control plane (kube-apiserver, etcd, kube-scheduler,
// kube-controller-manager) run by kwokctl from local binaries, with KWOK playing the kubelets of
// the topology's nodes. Scheduling, taints, evictions and controllers are the real thing.
import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Node } from '@kubernetes/client-node';
import { mergePatch } from '../../kube/patch-options.ts';
import type {
  Availability,
  Capabilities,
  ClusterBackend,
  CreateOptions,
  LabContext,
  PodFault,
} from '../cluster-backend.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { ensurePrivateDir } from '../../home/private-files.ts';
import { freePort, requireFreePort } from '../../kube/free-port.ts';
import { kubeClients, apiStatus } from '../../kube/kube-client.ts';
import { writeLabKubeconfig } from '../../kube/lab-kubeconfig.ts';
import { serverSideApply } from '../../kube/server-side-apply.ts';
import { monitoringProcesses, stopSimMonitoring } from '../../monitoring/sim-monitoring.ts';
import { SHOP_NAMESPACE } from '../../lab/lab-record.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { renderSimNode, renderSimNodes } from '../../topology/render-sim-nodes.ts';
import { findSimBinaries, requireSimBinaries } from './binaries.ts';
import { renderKwokctlConfigFile } from './kwokctl-config.ts';
import {
  isAlive,
  kwokAdminKubeconfig,
  kwokClusterDir,
  kwokctl,
  kwokMergedKubeconfig,
  labPids,
  labProcesses,
} from './kwokctl.ts';

/** The label that injects a fault; the stages in infra/sim/stages/ react to it. */
export const FAULT_LABEL = 'kartstream.dev/fault';

const NODE_INDEX = /-(\d+)$/;
const nodeIndex = (node: V1Node) =>
  Number.parseInt(NODE_INDEX.exec(node.metadata?.name ?? '')?.[1] ?? '0', 10);

class SimBackend implements ClusterBackend {
  readonly name = 'sim' as const;

  async detect(): Promise<Availability> {
    const report = await findSimBinaries();
    if (report.missing.length === 0) return { available: true };
    return {
      available: false,
      reason: `missing sim binaries: ${report.missing.map((m) => m.name).join(', ')}`,
      fix: 'run: npx kartstream sim install',
    };
  }

  capabilities(): Capabilities {
    return {
      failNode: true,
      growPool: true,
      shrinkPool: true,
      breakPods: ['crashloop', 'not-ready', 'failed'],
      notes: [],
    };
  }

  // Is part of the ClusterBackend interface.
  async create(lab: LabContext, task: TaskReporter, options: CreateOptions = {}): Promise<void> {
    const binaries = await requireSimBinaries();
    const apiPort = options.apiPort
      ? await requireFreePort(options.apiPort, 'the Kubernetes API', '--api-port')
      : await freePort();
    await ensurePrivateDir(lab.dir);
    const configFile = join(lab.dir, 'kwokctl.yaml');
    const config = await renderKwokctlConfigFile({
      kubeApiserverPort: apiPort,
      binaries: {
        kubeApiserver: binaries['kube-apiserver'],
        kubeControllerManager: binaries['kube-controller-manager'],
        kubeScheduler: binaries['kube-scheduler'],
        etcd: binaries.etcd,
        kwok: binaries.kwok,
        kubectl: binaries.kubectl,
      },
    });
    await writeFile(configFile, config, { mode: 0o600 });
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
    task.step(`Create ${renderSimNodes(lab.topology).length} simulated nodes`);
    await serverSideApply(kubeClients(lab.kubeconfigPath), renderSimNodes(lab.topology), {
      signal: task.signal,
    });
  }

  async delete(lab: LabContext, task: TaskReporter): Promise<void> {
    await stopSimMonitoring(lab, task);
    const processes = await labProcesses(lab);
    const binary = (await findSimBinaries()).found.kwokctl?.path;
    if (binary) {
      await kwokctl(
        binary,
        lab,
        ['delete', 'cluster', '--name', lab.name, '--kubeconfig', kwokMergedKubeconfig(lab)],
        {
          log: task.log,
        },
      ).catch((error: unknown) =>
        task.log(`kwokctl delete failed, stopping processes directly: ${(error as Error).message}`),
      );
    }
    // Whatever kwokctl left running (or could not stop) is stopped here: no orphans.
    if (
      !(await waitGone(
        processes.map((p) => p.pid),
        5_000,
      ))
    ) {
      for (const p of processes.filter((x) => isAlive(x.pid))) {
        task.log(`stopping leftover ${p.component} (pid ${p.pid})`);
        process.kill(p.pid, 'SIGKILL');
      }
      await waitGone(
        processes.map((p) => p.pid),
        5_000,
      );
    }
    await rm(lab.dir, { recursive: true, force: true });
  }

  async isRunning(lab: LabContext): Promise<boolean> {
    const pids = await labPids(lab);
    return pids.length > 0 && pids.every(isAlive);
  }

  async scalePool(lab: LabContext, pool: string, nodes: number, task: TaskReporter): Promise<void> {
    const spec = lab.topology.pools.find((p) => p.name === pool);
    if (!spec) {
      throw new KartStreamError('invalid-input', `there is no pool "${pool}"`, {
        fix: `use one of: ${lab.topology.pools.map((p) => p.name).join(', ')}`,
      });
    }
    const clients = kubeClients(lab.kubeconfigPath);
    const current = (await clients.core.listNode({ labelSelector: `pool=${pool}` })).items.sort(
      (a, b) => nodeIndex(a) - nodeIndex(b),
    );
    if (nodes > current.length) {
      const used = new Set(current.map(nodeIndex));
      const added: V1Node[] = [];
      for (let i = 1; added.length < nodes - current.length; i += 1)
        if (!used.has(i)) added.push(renderSimNode(lab.topology, spec, i));
      task.log(`adding ${added.map((n) => n.metadata?.name).join(', ')} to pool ${pool}`);
      await serverSideApply(clients, added, { signal: task.signal });
    }
    // Removing a node drains it first, as a node group scale-in does: its pods go at once and
    // their controllers make new ones wherever there is room (or leave them Pending).
    for (const node of current.slice(nodes).reverse()) {
      const name = node.metadata?.name ?? '';
      task.log(`draining and removing ${name}`);
      await clients.core.patchNode({ name, body: { spec: { unschedulable: true } } }, mergePatch);
      const pods = await clients.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` });
      await Promise.all(
        pods.items.map((p) =>
          clients.core
            .deleteNamespacedPod({
              name: p.metadata?.name ?? '',
              namespace: p.metadata?.namespace ?? '',
              gracePeriodSeconds: 0,
            })
            .catch(ignoreNotFound),
        ),
      );
      await clients.core.deleteNode({ name }).catch(ignoreNotFound);
    }
  }

  async failNode(lab: LabContext, node: string): Promise<void> {
    await this.labelNode(lab, node, 'not-ready');
  }

  async healNode(lab: LabContext, node: string): Promise<void> {
    await this.labelNode(lab, node, null);
  }

  async breakPods(lab: LabContext, namespace: string, selector: string, fault: PodFault): Promise<number> {
    const clients = kubeClients(lab.kubeconfigPath);
    const pods = (await clients.core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
    await Promise.all(
      pods.map((p) =>
        clients.core.patchNamespacedPod(
          {
            name: p.metadata?.name ?? '',
            namespace,
            body: { metadata: { labels: { [FAULT_LABEL]: fault } } },
          },
          mergePatch,
        ),
      ),
    );
    return pods.length;
  }

  async healPods(lab: LabContext, namespace: string, selector: string): Promise<number> {
    const clients = kubeClients(lab.kubeconfigPath);
    const labelSelector = [selector, FAULT_LABEL].filter(Boolean).join(',');
    const pods = (await clients.core.listNamespacedPod({ namespace, labelSelector })).items;
    await Promise.all(
      pods.map((p) =>
        clients.core
          .deleteNamespacedPod({ name: p.metadata?.name ?? '', namespace, gracePeriodSeconds: 0 })
          .catch(ignoreNotFound),
      ),
    );
    return pods.length;
  }

  async diagnose(lab: LabContext): Promise<string[]> {
    const control = (await labProcesses(lab)).map((p) => ({
      name: p.component,
      pid: p.pid,
      running: isAlive(p.pid),
    }));
    return [...control, ...(await monitoringProcesses(lab))]
      .filter((p) => !p.running)
      .map((p) => `${p.name} (pid ${p.pid}) is not running`);
  }

  async collectLogs(lab: LabContext, dir: string): Promise<void> {
    await cp(join(kwokClusterDir(lab), 'logs'), dir, { recursive: true }).catch(() => undefined);
  }

  private async labelNode(lab: LabContext, node: string, fault: string | null): Promise<void> {
    const clients = kubeClients(lab.kubeconfigPath);
    try {
      await clients.core.patchNode(
        { name: node, body: { metadata: { labels: { [FAULT_LABEL]: fault } } } },
        mergePatch,
      );
    } catch (error) {
      if (apiStatus(error) === 404) {
        throw new KartStreamError('not-found', `there is no node "${node}" in lab ${lab.name}`, {
          fix: 'see the nodes with `npx kartstream status`',
        });
      }
      throw error;
    }
  }
}

// Waits until none of `pids` runs; false if some still do after `ms`.
const waitGone = async (pids: number[], ms: number): Promise<boolean> => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    if (!pids.some(isAlive)) return true;
  }
  return !pids.some(isAlive);
};

const ignoreNotFound = (error: unknown) => {
  if (apiStatus(error) !== 404) throw error;
};

// The sim backend, behind the ClusterBackend interface.
export const simBackend = (): ClusterBackend => new SimBackend();
