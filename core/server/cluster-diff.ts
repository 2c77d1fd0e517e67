// What the map was last sent, and the changes since: objects are marked dirty as the watch store
// reports them, and `delta()` turns them into the difference to what was sent. Each changed
// object's wire view is compared with the one sent last, so the work is proportional to what
// changed, not to the size of the cluster.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterMessage, NodeView, PodView, PoolView, WorkloadView } from '../contract/wire-types.ts';
import { explainPending } from '../stack/explain-pending.ts';
import { nodeView, podKey, podView, workloadView } from './cluster-views.ts';

export type DeltaMessage = Extract<ClusterMessage, { type: 'delta' }>;
export type ResetMessage = Extract<ClusterMessage, { type: 'reset' }>;

interface Sent<V> {
  view: V;
  json: string;
}

/** What decides whether a pod fits a node: a change here can change why Pending pods wait. */
const schedulingSignature = (node: V1Node): string =>
  JSON.stringify([node.metadata?.labels ?? {}, node.spec?.taints ?? [], node.spec?.unschedulable ?? false]);

export const deltaSize = (d: DeltaMessage): number =>
  d.nodes.length +
  d.pods.length +
  d.workloads.length +
  d.deletedNodes.length +
  d.deletedPods.length +
  d.deletedWorkloads.length;

export class ClusterDiff {
  // What was sent last, per key; deltas are the difference to this.
  private readonly nodes = new Map<string, Sent<NodeView>>();
  private readonly pods = new Map<string, Sent<PodView>>();
  private readonly workloads = new Map<string, Sent<WorkloadView>>();
  // Indexes for work proportional to a change: the pods shown (their objects), by node, and those
  // without a node; each node's scheduling signature.
  private readonly podObjects = new Map<string, V1Pod>();
  private readonly podsOnNode = new Map<string, Set<string>>();
  private readonly pendingPods = new Set<string>();
  private readonly nodeSignatures = new Map<string, string>();
  // Changed since the last delta: the newest object, or null when deleted.
  private readonly dirtyNodes = new Map<string, V1Node | null>();
  private readonly dirtyPods = new Map<string, V1Pod | null>();
  private readonly dirtyWorkloads = new Map<string, V1Deployment | null>();

  /** `namespace` is the shop's: its pods and Deployments are shown (and any Pending pod). */
  constructor(private readonly namespace: string) {}

  node(name: string, node: V1Node | null): void {
    this.dirtyNodes.set(name, node);
  }

  pod(pod: V1Pod, gone: boolean): void {
    this.dirtyPods.set(podKey(pod), gone ? null : pod);
  }

  /** Marks a Deployment changed; false when it is not one the map shows. */
  deployment(deployment: V1Deployment, gone: boolean): boolean {
    if (deployment.metadata?.namespace !== this.namespace) return false;
    this.dirtyWorkloads.set(`${this.namespace}/${deployment.metadata.name ?? ''}`, gone ? null : deployment);
    return true;
  }

  /** The whole view as last computed. */
  reset(lab: string, pools: PoolView[]): ResetMessage {
    const views = <V>(map: Map<string, Sent<V>>) => [...map.values()].map((s) => s.view);
    const byName = (a: { name: string }, b: { name: string }) =>
      a.name.localeCompare(b.name, undefined, { numeric: true });
    return {
      type: 'reset',
      lab,
      pools,
      nodes: views(this.nodes).sort(byName),
      pods: views(this.pods).sort((a, b) => a.key.localeCompare(b.key)),
      workloads: views(this.workloads).sort(byName),
      at: Date.now(),
    };
  }

  // Shown: every pod of the shop's namespace, and any Pending pod (a full pool, a missing toleration).
  private shows(pod: V1Pod): boolean {
    return pod.metadata?.namespace === this.namespace || pod.status?.phase === 'Pending';
  }

  /** Turns the dirty objects into a delta and makes it the last sent state. `allNodes` explain Pending pods. */
  delta(allNodes: readonly V1Node[]): DeltaMessage {
    const delta: DeltaMessage = {
      type: 'delta',
      nodes: [],
      pods: [],
      workloads: [],
      deletedNodes: [],
      deletedPods: [],
      deletedWorkloads: [],
      at: 0,
    };
    let schedulingChanged = false;
    const touchPodsOn = (node: string) => {
      for (const key of this.podsOnNode.get(node) ?? []) this.touchPod(key);
    };
    for (const [name, node] of this.dirtyNodes) {
      const before = this.nodes.get(name);
      if (!node) {
        this.nodeSignatures.delete(name);
        schedulingChanged = true;
        if (before) {
          this.nodes.delete(name);
          delta.deletedNodes.push(name);
          touchPodsOn(name);
        }
        continue;
      }
      const signature = schedulingSignature(node);
      if (this.nodeSignatures.get(name) !== signature) {
        this.nodeSignatures.set(name, signature);
        schedulingChanged = true;
      }
      const view = nodeView(node);
      const json = JSON.stringify(view);
      if (before?.json === json) continue;
      this.nodes.set(name, { view, json });
      delta.nodes.push(view);
      if (before?.view.pool !== view.pool) touchPodsOn(name);
    }
    this.dirtyNodes.clear();
    // Why a Pending pod waits depends on every node: re-explain them when a node's fit changed.
    if (schedulingChanged) for (const key of this.pendingPods) this.touchPod(key);

    const explanations = new Map<string, string[]>();
    const explain = (pod: V1Pod) => {
      const key = JSON.stringify([pod.spec?.nodeSelector ?? {}, pod.spec?.tolerations ?? []]);
      let reasons = explanations.get(key);
      if (!reasons) explanations.set(key, (reasons = explainPending(pod, allNodes)));
      return reasons;
    };
    for (const [key, pod] of this.dirtyPods) {
      const before = this.pods.get(key);
      if (!pod || !this.shows(pod)) {
        if (before) {
          this.forgetPod(key, before.view.node);
          delta.deletedPods.push(key);
        }
        continue;
      }
      const node = pod.spec?.nodeName ?? '';
      const view = podView(pod, this.nodes.get(node)?.view.pool ?? '', node ? undefined : explain(pod));
      if (before && before.view.node !== node) this.podsOnNode.get(before.view.node)?.delete(key);
      this.podObjects.set(key, pod);
      if (node) {
        this.pendingPods.delete(key);
        let onNode = this.podsOnNode.get(node);
        if (!onNode) this.podsOnNode.set(node, (onNode = new Set()));
        onNode.add(key);
      } else this.pendingPods.add(key);
      const json = JSON.stringify(view);
      if (before?.json === json) continue;
      this.pods.set(key, { view, json });
      delta.pods.push(view);
    }
    this.dirtyPods.clear();

    for (const [key, deployment] of this.dirtyWorkloads) {
      const before = this.workloads.get(key);
      if (!deployment) {
        if (before) {
          this.workloads.delete(key);
          delta.deletedWorkloads.push(key);
        }
        continue;
      }
      const view = workloadView(deployment);
      const json = JSON.stringify(view);
      if (before?.json === json) continue;
      this.workloads.set(key, { view, json });
      delta.workloads.push(view);
    }
    this.dirtyWorkloads.clear();
    return delta;
  }

  private touchPod(key: string): void {
    if (!this.dirtyPods.has(key)) this.dirtyPods.set(key, this.podObjects.get(key) ?? null);
  }

  private forgetPod(key: string, node: string): void {
    this.pods.delete(key);
    this.podObjects.delete(key);
    this.pendingPods.delete(key);
    const onNode = this.podsOnNode.get(node);
    onNode?.delete(key);
    if (onNode?.size === 0) this.podsOnNode.delete(node);
  }
}
