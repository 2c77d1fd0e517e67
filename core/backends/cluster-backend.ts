// The seam between the engine and the three ways to get a cluster (kind, sim, EKS). After
// `create`, everything else speaks the Kubernetes API; a backend only does what the API cannot.
import type { Topology } from '../topology/schema.ts';
import type { TaskReporter } from '../tasks/task.ts';

export type BackendName = 'sim' | 'kind' | 'eks';

/** Faults a pod can be given. */
export type PodFault = 'crashloop' | 'not-ready' | 'failed';

/** What a backend can do, read by the scenario runner before it starts a scenario. */
export interface Capabilities {
  failNode: boolean;
  /** Add nodes to a pool beyond its created size (kind cannot). */
  growPool: boolean;
  shrinkPool: boolean;
  breakPods: readonly PodFault[];
  /** Why a capability is missing, shown to the user when a scenario needs it. */
  notes: string[];
}

export interface Availability {
  available: boolean;
  /** Why not, and how to fix it. */
  reason?: string;
  fix?: string;
}

/** One lab as a backend sees it: its name, its private directory, its topology. */
export interface LabContext {
  name: string;
  dir: string;
  kubeconfigPath: string;
  topology: Topology;
}

export interface CreateOptions {
  /** Port for the Kubernetes API on 127.0.0.1; picked free when absent. */
  apiPort?: number;
}

export interface ClusterBackend {
  readonly name: BackendName;
  /** Whether this backend can run on this machine, and if not why. */
  detect(): Promise<Availability>;
  /** What this backend can do. */
  capabilities(): Capabilities;
  /** Creates the cluster with the topology's nodes, and writes the lab's private kubeconfig. */
  create(lab: LabContext, task: TaskReporter, options?: CreateOptions): Promise<void>;
  /** Stops and removes everything the lab created; safe to call twice. */
  delete(lab: LabContext, task: TaskReporter): Promise<void>;
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
