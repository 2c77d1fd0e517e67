// The kind backend: real node containers in Docker (or Podman), created by the pinned kind from
// the topology's kind config. Faults use what a container engine can really do, and what it
// cannot do is declared in capabilities() so the scenario runner can refuse a scenario up front.
import { rm } from 'node:fs/promises';
import type {
  Availability,
  Capabilities,
  ClusterBackend,
  CreateOptions,
  LabContext,
  MonitoringPlacement,
  PodFault,
} from '../cluster-backend.ts';
import { describeError, KartStreamError } from '../../errors/kartstream-error.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { findKind } from './binary.ts';
import { containerFindings, listLabContainers } from './containers.ts';
import { dockerClient, probeEngine } from './engine-client.ts';
import { kindArgs, runKind } from './kind-cli.ts';
import {
  drainNode,
  pauseNode,
  requireWorker,
  uncordonWhenReady,
  unpauseNode,
  type NodeActionContext,
} from './node-actions.ts';
import { kindNodeNames, labKindConfig, planPoolScale, poolNodeNames } from './nodes.ts';
import { breakDeploymentPods, healDeploymentPods } from './pod-fault-actions.ts';
import { KIND_CLUSTER_LABEL } from './pins.ts';
import { KIND_POD_FAULTS } from './pod-faults.ts';
import { engineProvider } from './preflight-probe.ts';
import { engineDownFinding } from './preflight-rules.ts';
import { kindFiles, provisionKindLab, shopUrl, wasCreated } from './provision.ts';

/** What kind can do, and why not where it cannot. */
export const kindCapabilities = (): Capabilities => ({
  failNode: true,
  growPool: false,
  shrinkPool: true,
  breakPods: KIND_POD_FAULTS,
  unsupported: {
    growPool:
      'kind cannot add nodes to a running cluster: set pools[].nodes in the topology and recreate the lab, or use --backend sim',
    'breakPods:failed':
      'a Deployment pod restarts forever on real containers, so it cannot be made to end Failed: use crashloop or not-ready, or --backend sim',
  },
  notes: [
    'growPool: kind cannot add nodes to a running cluster; a pool scales between 0 and the size it was created with (set pools[].nodes in the topology and recreate the lab for more)',
    'shrinkPool: emulated by cordon + drain + docker pause; the Node objects stay, NotReady and cordoned, until the pool is scaled back up',
    'failNode: docker pause of the node container (not stop: a stopped kind node can come back with another IP and break the cluster)',
    'breakPods failed: a Deployment pod restarts forever (restartPolicy Always), so it cannot be made to end Failed on real containers; crashloop and not-ready patch the owner Deployment and heal puts it back',
  ],
});

const noTask = { log: () => undefined };

class KindBackend implements ClusterBackend {
  readonly name = 'kind' as const;
  readonly shopOverlay = 'kind' as const;
  // Real containers: Prometheus, Alertmanager and Grafana run as pods on the monitoring pool.
  readonly monitoring: MonitoringPlacement = { runs: 'in-cluster', overlay: 'kind' };

  async detect(): Promise<Availability> {
    const probe = await probeEngine();
    if (probe.ok) return { available: true };
    const finding = engineDownFinding(probe);
    return { available: false, reason: finding.message, fix: finding.fix };
  }

  capabilities(): Capabilities {
    return kindCapabilities();
  }

  // kind installs its pinned binary inside create, after the engine preflight has passed.
  async ensureTools(): Promise<void> {}

  // The frontend NodePort, mapped by kind on the topology's loopback address.
  shopUrl(lab: LabContext): string | undefined {
    return shopUrl(lab.topology);
  }

  // Is part of the ClusterBackend interface.
  async create(lab: LabContext, task: TaskReporter, options: CreateOptions = {}): Promise<void> {
    await provisionKindLab(lab, task, options);
  }

  async delete(lab: LabContext, task: TaskReporter): Promise<void> {
    const probe = await probeEngine();
    if (!probe.ok) {
      // No engine, and kind never ran for this lab: there cannot be a container to remove.
      if (await wasCreated(lab))
        throw new KartStreamError(
          'backend-unavailable',
          `failed to delete the kind cluster of lab ${lab.name}: ${engineDownFinding(probe).message}`,
          {
            details: ['its node containers (if any) stay on that engine until it answers again'],
            fix: `${engineDownFinding(probe).fix}; then run npx kartstream down --name ${lab.name} again`,
          },
        );
      await rm(lab.dir, { recursive: true, force: true });
      return;
    }
    const provider = engineProvider(probe);
    const docker = dockerClient(probe.endpoint);
    const kind = (await findKind()).path;
    if (kind)
      await runKind(kind, kindArgs.delete({ name: lab.name, kubeconfig: kindFiles(lab).kubeconfig }), {
        provider,
        log: task.log,
        signal: task.signal,
      }).catch((error: unknown) =>
        task.log(`kind delete failed, removing the containers directly: ${describeError(error)}`),
      );
    // Whatever kind left (or could not remove, or kind was not there) goes by its kind labels.
    for (const left of await listLabContainers(docker, lab.name)) {
      task.log(`removing leftover container ${left.name} (${left.state})`);
      await docker
        .getContainer(left.name)
        .remove({ force: true, v: true })
        .catch((e: unknown) => task.log(`failed to remove ${left.name}: ${(e as Error).message}`));
    }
    const remaining = await listLabContainers(docker, lab.name);
    if (remaining.length > 0)
      throw new KartStreamError('cluster-failed', `failed to remove every container of lab ${lab.name}`, {
        details: remaining.map((c) => `${c.name} (${c.state})`),
        fix: `remove them by hand: docker rm -f ${remaining.map((c) => c.name).join(' ')}`,
      });
    task.log(`no container labelled ${KIND_CLUSTER_LABEL}=${lab.name} is left`);
    await rm(lab.dir, { recursive: true, force: true });
  }

  async isRunning(lab: LabContext): Promise<boolean> {
    const probe = await probeEngine();
    if (!probe.ok) return false;
    const containers = await listLabContainers(dockerClient(probe.endpoint), lab.name);
    const state = new Map(containers.map((c) => [c.name, c.state]));
    // Paused workers are failed or scaled-down nodes of a running lab; the control plane must run.
    return kindNodeNames(labKindConfig(lab.topology, lab.name)).every((n) =>
      n.role === 'control-plane'
        ? state.get(n.name) === 'running'
        : ['running', 'paused'].includes(state.get(n.name) ?? ''),
    );
  }

  async scalePool(lab: LabContext, pool: string, nodes: number, task: TaskReporter): Promise<void> {
    const names = poolNodeNames(lab.topology, lab.name, pool);
    planPoolScale(pool, names, new Set(), nodes); // refuses growth before touching anything
    const ctx = await this.context(lab, task.log);
    const paused = new Set(
      (await listLabContainers(ctx.docker, lab.name)).filter((c) => c.state === 'paused').map((c) => c.name),
    );
    const plan = planPoolScale(pool, names, paused, nodes);
    for (const node of plan.pause) {
      task.log(`scaling pool ${pool} in: cordon, drain and pause ${node}`);
      await drainNode(ctx, node);
      await pauseNode(ctx, node);
    }
    for (const node of plan.unpause) {
      task.log(`scaling pool ${pool} out: unpause and uncordon ${node}`);
      await unpauseNode(ctx, node);
      await uncordonWhenReady(ctx, node);
    }
  }

  async failNode(lab: LabContext, node: string): Promise<void> {
    requireWorker(lab, node);
    await pauseNode(await this.context(lab), node);
  }

  async healNode(lab: LabContext, node: string): Promise<void> {
    requireWorker(lab, node);
    await unpauseNode(await this.context(lab), node);
  }

  async breakPods(lab: LabContext, namespace: string, selector: string, fault: PodFault): Promise<number> {
    if (!(KIND_POD_FAULTS as readonly string[]).includes(fault))
      throw new KartStreamError(
        'backend-unavailable',
        `the kind backend cannot give pods the fault "${fault}"`,
        {
          details: kindCapabilities().notes.filter((n) => n.startsWith('breakPods')),
          fix: `use ${KIND_POD_FAULTS.join(' or ')}, or --backend sim`,
        },
      );
    return breakDeploymentPods(kubeClients(lab.kubeconfigPath), namespace, selector, fault);
  }

  async healPods(lab: LabContext, namespace: string, selector: string): Promise<number> {
    return healDeploymentPods(kubeClients(lab.kubeconfigPath), namespace, selector);
  }

  async diagnose(lab: LabContext): Promise<string[]> {
    const probe = await probeEngine();
    if (!probe.ok) return (await wasCreated(lab)) ? [engineDownFinding(probe).message] : [];
    return containerFindings(await listLabContainers(dockerClient(probe.endpoint), lab.name));
  }

  async collectLogs(lab: LabContext, dir: string): Promise<void> {
    const kind = (await findKind()).path;
    const probe = await probeEngine();
    if (!kind || !probe.ok || !(await wasCreated(lab))) return;
    await runKind(kind, kindArgs.exportLogs({ name: lab.name, dir }), {
      provider: engineProvider(probe),
      timeoutMs: 300_000,
    });
  }

  private async context(
    lab: LabContext,
    log: (line: string) => void = noTask.log,
  ): Promise<NodeActionContext> {
    const probe = await probeEngine();
    if (!probe.ok) {
      const finding = engineDownFinding(probe);
      throw new KartStreamError('backend-unavailable', finding.message, { fix: finding.fix });
    }
    return {
      lab,
      clients: kubeClients(lab.kubeconfigPath),
      docker: dockerClient(probe.endpoint),
      provider: engineProvider(probe),
      log,
    };
  }
}

// The kind backend, behind the ClusterBackend interface.
export const kindBackend = (): ClusterBackend => new KindBackend();
