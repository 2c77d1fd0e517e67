// The sim backend: a real control plane (kube-apiserver, etcd, kube-scheduler,
// kube-controller-manager) run by kwokctl from local binaries, with KWOK playing the kubelets of
// the topology's nodes. Scheduling, taints, evictions and controllers are the real thing.
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Availability,
  Capabilities,
  ClusterBackend,
  CreateOptions,
  LabContext,
  MonitoringPlacement,
  PodFault,
} from '../cluster-backend.ts';
import { isAlive } from '../../exec/process-alive.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { waitUntil } from '../../tasks/wait.ts';
import { findSimBinaries } from './binaries.ts';
import { installSimBinaries } from './install.ts';
import {
  kwokAdminKubeconfig,
  kwokClusterDir,
  kwokctl,
  kwokMergedKubeconfig,
  labPids,
  labProcesses,
} from './kwokctl.ts';
import { labelSimNode, resyncPodReadiness } from './node-actions.ts';
import { scaleSimPool } from './nodes.ts';
import { breakLabelledPods, healLabelledPods } from './pod-fault-actions.ts';
import { SIM_POD_FAULTS } from './pod-faults.ts';
import { provisionSimLab } from './provision.ts';

/** What sim can do: every fault, since KWOK plays the kubelets. */
export const simCapabilities = (): Capabilities => ({
  failNode: true,
  growPool: true,
  shrinkPool: true,
  breakPods: SIM_POD_FAULTS,
  unsupported: {},
  notes: [],
});

class SimBackend implements ClusterBackend {
  readonly name = 'sim' as const;
  readonly shopOverlay = 'sim' as const;
  // The monitoring pods are scheduled like kind's but run no containers: the real Prometheus,
  // Alertmanager and lab agent run on the host, and kwok forwards the pods' ports to them.
  readonly monitoring: MonitoringPlacement = { runs: 'host-processes', overlay: 'sim' };

  // Is part of the ClusterBackend interface.
  async detect(): Promise<Availability> {
    const report = await findSimBinaries();
    if (report.missing.length === 0) return { available: true };
    return {
      available: false,
      installable: true,
      reason: `missing sim binaries: ${report.missing.map((m) => m.name).join(', ')}`,
      fix: 'run: npx kartstream sim install',
    };
  }

  capabilities(): Capabilities {
    return simCapabilities();
  }

  // The first `up` on a machine installs the control plane (release downloads, or a Go build
  // where there is none; once, cached by version).
  async ensureTools(task: TaskReporter): Promise<void> {
    const report = await findSimBinaries();
    if (report.missing.length === 0) return;
    task.step(
      `Install the missing sim binaries (${report.missing.map((m) => m.name).join(', ')}): release downloads, or a Go build where there is none`,
    );
    await installSimBinaries(task);
  }

  // Simulated pods run no containers, so there is no shop to reach over HTTP.
  shopUrl(): string | undefined {
    return undefined;
  }

  async create(lab: LabContext, task: TaskReporter, options: CreateOptions = {}): Promise<void> {
    await provisionSimLab(lab, task, options);
  }

  async delete(lab: LabContext, task: TaskReporter): Promise<void> {
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
    await scaleSimPool(lab, pool, nodes, task);
  }

  async failNode(lab: LabContext, node: string): Promise<void> {
    await labelSimNode(lab, node, 'not-ready');
  }

  async healNode(lab: LabContext, node: string): Promise<void> {
    await labelSimNode(lab, node, null);
    // The kubelet's part, so the simulator's own credentials: a participant who heals a node
    // acts with their identity (lab.kubeconfigPath), which may not touch pod status.
    await resyncPodReadiness(kubeClients(kwokAdminKubeconfig(lab)), node);
  }

  async breakPods(lab: LabContext, namespace: string, selector: string, fault: PodFault): Promise<number> {
    return breakLabelledPods(kubeClients(lab.kubeconfigPath), namespace, selector, fault);
  }

  async healPods(lab: LabContext, namespace: string, selector: string): Promise<number> {
    return healLabelledPods(kubeClients(lab.kubeconfigPath), namespace, selector);
  }

  // The control-plane processes; monitoring's own processes are the monitoring layer's to check.
  // Asked after a failure, which may come a moment before its cause is visible: a killed API
  // server resets its connections while it is still exiting. So a lab whose processes all look
  // alive is looked at again for up to a second.
  async diagnose(lab: LabContext): Promise<string[]> {
    const processes = await labProcesses(lab);
    const stopped = () => processes.filter((p) => !isAlive(p.pid));
    await waitUntil(() => stopped().length > 0, { timeoutMs: DIAGNOSE_GRACE_MS });
    return stopped().map((p) => `${p.component} (pid ${p.pid}) is not running`);
  }

  async collectLogs(lab: LabContext, dir: string): Promise<void> {
    await cp(join(kwokClusterDir(lab), 'logs'), dir, { recursive: true }).catch(() => undefined);
  }
}

const DIAGNOSE_GRACE_MS = 1_000;

// Waits until none of `pids` runs; false if some still do after `ms`.
const waitGone = (pids: number[], ms: number): Promise<boolean> =>
  waitUntil(() => !pids.some(isAlive), { timeoutMs: ms });

// The sim backend, behind the ClusterBackend interface.
export const simBackend = (): ClusterBackend => new SimBackend();
