// The seam between the engine and the ways to get a local cluster (sim, kind). After `create`,
// everything else speaks the Kubernetes API; a backend only does what the API cannot, and it
// answers every question whose answer differs between backends, so callers never ask its name.
// (EKS is created with `kartstream promote`, then registered as an `external` lab; see
// docs/architecture.md and docs/attach.md.)
import type { Topology } from '../topology/schema.ts';
import type { TaskReporter } from '../tasks/task.ts';

/** The backends that exist: two that create local labs, and `external` for a cluster attached as it is. */
export type BackendName = 'sim' | 'kind' | 'external';

/** The shop overlays (manifests/overlays/<name>); `eks` is the generic in-cluster one. */
export type ShopOverlay = 'sim' | 'kind' | 'eks';

/** Faults a pod can be given. */
export type PodFault = 'crashloop' | 'not-ready' | 'failed';

/** A fault action a scenario or the UI can ask of a backend. */
export type FaultAction = 'failNode' | 'growPool' | 'shrinkPool' | `breakPods:${PodFault}`;

/** What a backend can do, read by the scenario runner before it starts a scenario. */
export interface Capabilities {
  failNode: boolean;
  /** Add nodes to a pool beyond its created size (kind cannot). */
  growPool: boolean;
  shrinkPool: boolean;
  breakPods: readonly PodFault[];
  /** For each fault action this backend cannot do, why not (one sentence, with what to do instead). */
  unsupported: Partial<Record<FaultAction, string>>;
  /** How each capability is had (and why a missing one is missing), shown when a scenario needs it. */
  notes: string[];
}

export interface Availability {
  available: boolean;
  /** Why not, and how to fix it. */
  reason?: string;
  fix?: string;
  /** What is missing can be had by `ensureTools` (built or downloaded), so `up` may go on. */
  installable?: boolean;
}

/**
 * How a lab's monitoring runs. On every backend its pods (Prometheus, Alertmanager, Grafana,
 * kube-state-metrics, node-exporter) are deployed with the stack from
 * `manifests/monitoring/overlays/<overlay>` onto the monitoring pool, and the engine reaches
 * Prometheus and Alertmanager through port-forwards to them. `runs` says who answers there:
 * - `in-cluster`: the pods' own containers (kind; an external cluster would be the same).
 * - `host-processes`: the pods run no containers (sim); the engine runs the real processes on
 *   127.0.0.1 and the backend forwards the pods' ports to them.
 */
export interface MonitoringPlacement {
  runs: 'in-cluster' | 'host-processes';
  overlay: string;
}

/** One lab as a backend sees it: its name, its private directory, its topology. */
export interface LabContext {
  name: string;
  dir: string;
  kubeconfigPath: string;
  topology: Topology;
}

export interface CreateOptions {
  /** Port for the Kubernetes API on 127.0.0.1; picked free (sim) or by kind when absent. */
  apiPort?: number;
  /** The images the lab's manifests run, for a backend that preloads them (kind). */
  images?: () => Promise<readonly string[]>;
}

export interface DeleteOptions {
  /** external: also delete what `attach --deploy` applied (the shop and monitoring namespaces). */
  removeDeployed?: boolean;
}

export interface ClusterBackend {
  readonly name: BackendName;
  /** The overlay of the shop this backend's labs run (up deploys it, restoreShop re-applies it). */
  readonly shopOverlay: ShopOverlay;
  /** Whether this backend can run on this machine, and if not why. */
  detect(): Promise<Availability>;
  /** What this backend can do, with a reason for each fault action it cannot. */
  capabilities(): Capabilities;
  /** Gets the tools `create` needs that are missing and can be had (sim: builds its binaries). */
  ensureTools(task: TaskReporter): Promise<void>;
  /** Where monitoring runs for this backend's labs, and so how it is reached. */
  readonly monitoring: MonitoringPlacement;
  /** Where the learner reaches the shop from this machine, if anywhere (sim runs no containers). */
  shopUrl(lab: LabContext): string | undefined;
  /**
   * Creates the cluster with the topology's nodes, waits until every node is Ready, and writes
   * the lab's private kubeconfig. Honours `options.apiPort` or refuses it.
   */
  create(lab: LabContext, task: TaskReporter, options?: CreateOptions): Promise<void>;
  /** Stops and removes everything the lab created (external: only what KartStream added); safe to call twice. */
  delete(lab: LabContext, task: TaskReporter, options?: DeleteOptions): Promise<void>;
  /** Whether the lab's cluster is up (processes or containers), without asking the API. */
  isRunning(lab: LabContext): Promise<boolean>;
  /** Sets the number of nodes of a pool. */
  scalePool(lab: LabContext, pool: string, nodes: number, task: TaskReporter): Promise<void>;
  /** Makes a node stop reporting Ready, as if its kubelet died. */
  failNode(lab: LabContext, node: string): Promise<void>;
  /** Brings a failed node back. */
  healNode(lab: LabContext, node: string): Promise<void>;
  /** Makes the pods matching a label selector in a namespace fail the given way. */
  breakPods(lab: LabContext, namespace: string, selector: string, fault: PodFault): Promise<number>;
  /** Undoes breakPods: the broken pods are replaced by healthy ones. */
  healPods(lab: LabContext, namespace: string, selector: string): Promise<number>;
  /** Health findings the API cannot give (a dead control-plane process, a paused node). */
  diagnose(lab: LabContext): Promise<string[]>;
  /** Copies the backend's own logs into `dir` (kept with a failed task's log). */
  collectLogs(lab: LabContext, dir: string): Promise<void>;
}
