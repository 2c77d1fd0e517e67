// The external backend: a cluster KartStream did not create (attached with `kartstream attach`,
// or an EKS cluster made by `promote apply`). Everything goes through the Kubernetes API: faults
// are API-only stand-ins, what has no honest stand-in is refused with the reason, and `delete`
// only forgets the lab and takes back what KartStream added. It never deletes the cluster.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Availability,
  Capabilities,
  ClusterBackend,
  DeleteOptions,
  LabContext,
  MonitoringPlacement,
  PodFault,
} from '../cluster-backend.ts';
import { describeError, KartStreamError } from '../../errors/kartstream-error.ts';
import { apiStatus, kubeClients } from '../../kube/kube-client.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { SHOP_NAMESPACE } from '../../topology/shop.ts';
import { readAttachment } from './attachment.ts';
import { healDeploymentPods, breakDeploymentPods } from './pod-fault-actions.ts';
import { EXTERNAL_POD_FAULTS } from './pod-faults.ts';
import { FAILED_TAINT, failExternalNode, healAllExternalNodes, healExternalNode } from './node-actions.ts';
import { requirePoolNode } from './nodes.ts';

const API_TIMEOUT_MS = 10_000;

/** What an attached cluster can do through the API alone, and why not where it cannot. */
export const externalCapabilities = (): Capabilities => ({
  failNode: true,
  growPool: false,
  shrinkPool: false,
  breakPods: EXTERNAL_POD_FAULTS,
  unsupported: {
    growPool:
      'an attached cluster gets its nodes from its provider, which KartStream does not drive: add nodes with your provider (for a promoted lab: kartstream promote scale), or use a sim lab',
    shrinkPool:
      'KartStream does not remove nodes of a cluster it did not create: scale the node group with your provider (for a promoted lab: kartstream promote scale), or use a sim lab',
    'breakPods:failed':
      'a Deployment pod restarts forever on real kubelets, so it cannot be made to end Failed: use crashloop or not-ready, or a sim lab',
  },
  notes: [
    `failNode: a stand-in through the API: the node is cordoned and tainted ${FAILED_TAINT.key}:${FAILED_TAINT.effect}, so its pods are evicted at once; its kubelet keeps running and the node stays Ready (no NotReady, no node-controller taint); heal removes both`,
    'breakPods: crashloop and not-ready patch the owner Deployment, as on kind; heal puts it back',
    "growPool, shrinkPool: refused (the nodes belong to the cluster's provider)",
  ],
});

const refused = (what: string, reason: string) =>
  new KartStreamError('backend-unavailable', `an attached cluster cannot ${what}`, { fix: reason });

class ExternalBackend implements ClusterBackend {
  readonly name = 'external' as const;
  // The generic in-cluster overlay: base + placement, frontend-external a LoadBalancer.
  readonly shopOverlay = 'eks' as const;
  readonly monitoring: MonitoringPlacement = { runs: 'in-cluster', overlay: 'eks' };

  // Is part of the ClusterBackend interface. `attach` checks the cluster itself.
  async detect(): Promise<Availability> {
    return { available: true };
  }

  capabilities(): Capabilities {
    return externalCapabilities();
  }

  async ensureTools(): Promise<void> {}

  shopUrl(lab: LabContext): string | undefined {
    return readAttachment(lab.dir)?.shopUrl;
  }

  async create(lab: LabContext): Promise<void> {
    throw new KartStreamError(
      'invalid-input',
      `lab ${lab.name} is an attached cluster: KartStream does not create it`,
      {
        fix: `attach it again with: npx kartstream attach --name ${lab.name} --kubeconfig FILE (after npx kartstream down --name ${lab.name})`,
      },
    );
  }

  // Forgets the lab. What KartStream added goes first: its failed taints and cordons, its pod
  // faults, and (asked for) what attach --deploy applied. The cluster itself stays.
  async delete(lab: LabContext, task: TaskReporter, options: DeleteOptions = {}): Promise<void> {
    const attachment = readAttachment(lab.dir);
    if (attachment) {
      try {
        const clients = kubeClients(lab.kubeconfigPath);
        const healed = await healAllExternalNodes(clients, lab.name);
        task.log(
          healed.length
            ? `removed KartStream's taint and cordon from ${healed.join(', ')}`
            : 'no node carries a KartStream taint',
        );
        const pods = await healDeploymentPods(clients, SHOP_NAMESPACE, '').catch(() => 0);
        if (pods) task.log(`healed the pod faults of ${pods} shop pods`);
        if (options.removeDeployed) await this.removeApplied(lab, task);
        else if (attachment.applied.length)
          task.log(
            `left the ${attachment.applied.length} objects attach --deploy applied (down --remove-deployed deletes them)`,
          );
      } catch (error) {
        task.log(
          `could not reach the cluster to take back KartStream's changes (${describeError(error)}); remove them by hand when it answers: kubectl taint nodes --all ${FAILED_TAINT.key}- ; kubectl uncordon the nodes annotated kartstream.dev/cordoned`,
        );
      }
    }
    await rm(lab.dir, { recursive: true, force: true });
    task.log(`forgot lab ${lab.name}; the cluster itself was not touched otherwise`);
  }

  private async removeApplied(lab: LabContext, task: TaskReporter): Promise<void> {
    const applied = readAttachment(lab.dir)?.applied ?? [];
    const { objects } = kubeClients(lab.kubeconfigPath);
    // In recorded order: namespaces were recorded last, so their objects go first.
    for (const o of applied) {
      await objects
        .delete({
          apiVersion: o.apiVersion,
          kind: o.kind,
          metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) },
        })
        .then(() => task.log(`deleted ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`))
        .catch((error: unknown) => {
          if (apiStatus(error) !== 404) throw error;
        });
    }
  }

  async isRunning(lab: LabContext): Promise<boolean> {
    return (await this.apiProblem(lab)) === undefined;
  }

  async scalePool(): Promise<void> {
    throw refused('scale a pool', externalCapabilities().unsupported.growPool ?? '');
  }

  async failNode(lab: LabContext, node: string): Promise<void> {
    const clients = kubeClients(lab.kubeconfigPath);
    requirePoolNode((await clients.core.listNode()).items, lab.topology, node, lab.name);
    await failExternalNode(clients, node, lab.name);
  }

  async healNode(lab: LabContext, node: string): Promise<void> {
    await healExternalNode(kubeClients(lab.kubeconfigPath), node, lab.name);
  }

  async breakPods(lab: LabContext, namespace: string, selector: string, fault: PodFault): Promise<number> {
    if (!(EXTERNAL_POD_FAULTS as readonly string[]).includes(fault))
      throw refused(
        `give pods the fault "${fault}"`,
        externalCapabilities().unsupported['breakPods:failed'] ?? '',
      );
    return breakDeploymentPods(kubeClients(lab.kubeconfigPath), namespace, selector, fault);
  }

  async healPods(lab: LabContext, namespace: string, selector: string): Promise<number> {
    return healDeploymentPods(kubeClients(lab.kubeconfigPath), namespace, selector);
  }

  async diagnose(lab: LabContext): Promise<string[]> {
    const problem = await this.apiProblem(lab);
    return problem ? [problem] : [];
  }

  // Events of the shop's namespace, as the API gives them (there are no backend logs to copy).
  async collectLogs(lab: LabContext, dir: string): Promise<void> {
    const { core } = kubeClients(lab.kubeconfigPath);
    const events = await core.listNamespacedEvent({ namespace: SHOP_NAMESPACE });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'shop-events.json'), JSON.stringify(events.items, null, 2));
  }

  private async apiProblem(lab: LabContext): Promise<string | undefined> {
    const timeout = new Promise<never>((_resolve, reject) =>
      setTimeout(
        () => reject(new Error(`no answer within ${API_TIMEOUT_MS / 1000} s`)),
        API_TIMEOUT_MS,
      ).unref(),
    );
    try {
      await Promise.race([kubeClients(lab.kubeconfigPath).core.listNode({ limit: 1 }), timeout]);
      return undefined;
    } catch (error) {
      return `the API server of lab ${lab.name} does not answer: ${describeError(error)}`;
    }
  }
}

// The external backend, behind the ClusterBackend interface.
export const externalBackend = (): ClusterBackend => new ExternalBackend();
