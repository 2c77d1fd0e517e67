// The cluster as the map draws it, folded from `cluster.watch` messages (a `reset`, then
// `delta`s). Pure data, no React or DOM, so it is unit-tested and can hold 10,000 pods: the maps
// are updated in place and every change bumps a version number, so the map re-renders only the
// lanes, node cards and lists whose version moved.
import type {
  ClusterMessage,
  NodeView,
  PodView,
  PoolView,
  WorkloadView,
} from '../../../../core/contract/wire-types.ts';

/** "backend-2" sorts before "backend-10": digits padded, then a plain (fast) string compare. */
const naturalKey = (name: string): string => name.replace(/\d+/g, (digits) => digits.padStart(12, '0'));
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareNames = (a: string, b: string): number => compareKeys(naturalKey(a), naturalKey(b));
/** Sorts many items by a natural key computed once per item. */
const sortByKey = <T>(items: T[], key: (item: T) => string): T[] =>
  items
    .map((item) => ({ item, key: key(item) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((entry) => entry.item);

/** A pod waits for a node when it is Pending (with or without a node picked yet). */
export const isPending = (pod: PodView): boolean => pod.phase === 'Pending';

export class ClusterStore {
  lab: string | undefined;
  /** Server time of the last message applied (ms); 0 before the first one. */
  at = 0;
  /** Set by an `offline` message, cleared by the next reset or delta. */
  offline: string | undefined;
  /** Set by a `stale` message (why the view may be out of date), cleared by the next reset or a
   * `stale` message without a reason. */
  stale: string | undefined;
  /** True once a reset arrived. */
  loaded = false;
  readonly nodes = new Map<string, NodeView>();
  readonly pods = new Map<string, PodView>();
  readonly workloads = new Map<string, WorkloadView>();

  /** Bumps on every applied message. */
  version = 0;
  /** Bumps when the set of nodes or pools changes (which lanes exist, which nodes sit in a lane). */
  structureVersion = 0;
  pendingVersion = 0;
  workloadsVersion = 0;

  private seq = 0;
  private topologyPools: PoolView[] = [];
  private readonly podsByNode = new Map<string, Map<string, PodView>>();
  private readonly pending = new Map<string, PodView>();
  private readonly nodeVersions = new Map<string, number>();
  private readonly laneVersions = new Map<string, number>();
  private readonly cache = new Map<string, { version: number; value: unknown }>();

  apply(message: ClusterMessage): void {
    this.at = message.at;
    this.version = this.next();
    if (message.type === 'offline') {
      this.offline = message.message;
      return;
    }
    this.offline = undefined;
    if (message.type === 'stale') {
      this.stale = message.reason ?? undefined;
      return;
    }
    if (message.type === 'reset') {
      this.clear();
      this.stale = undefined;
      this.lab = message.lab;
      this.loaded = true;
      this.topologyPools = message.pools;
      for (const node of message.nodes) this.putNode(node);
      for (const pod of message.pods) this.putPod(pod);
      for (const workload of message.workloads) this.workloads.set(workload.key, workload);
      this.structureVersion = this.pendingVersion = this.workloadsVersion = this.next();
      return;
    }
    for (const name of message.deletedNodes) this.deleteNode(name);
    for (const node of message.nodes) this.putNode(node);
    for (const key of message.deletedPods) this.deletePod(key);
    for (const pod of message.pods) this.putPod(pod);
    if (message.workloads.length > 0 || message.deletedWorkloads.length > 0) {
      for (const key of message.deletedWorkloads) this.workloads.delete(key);
      for (const workload of message.workloads) this.workloads.set(workload.key, workload);
      this.workloadsVersion = this.next();
    }
  }

  /** Forgets everything, e.g. before following another lab (its first message is a reset). */
  startOver(lab: string): void {
    this.clear();
    this.lab = lab;
    this.loaded = false;
    this.offline = undefined;
    this.stale = undefined;
    this.at = 0;
    this.topologyPools = [];
    this.version = this.structureVersion = this.pendingVersion = this.workloadsVersion = this.next();
  }

  /** The pools in topology order, then any pool only the nodes name (e.g. one added by hand). */
  pools(): PoolView[] {
    return this.cached('pools', this.structureVersion, () => {
      const known = new Set(this.topologyPools.map((p) => p.name));
      const extra = new Set<string>();
      for (const node of this.nodes.values()) if (!known.has(node.pool)) extra.add(node.pool);
      return [
        ...this.topologyPools,
        ...[...extra].sort(compareNames).map((name) => ({ name, taint: '', desiredNodes: 0 })),
      ];
    });
  }

  /** The node names of a pool, in natural order (backend-2 before backend-10). */
  nodesIn(pool: string): string[] {
    return this.cached(`lane:${pool}`, this.structureVersion, () =>
      sortByKey(
        [...this.nodes.values()].filter((n) => n.pool === pool).map((n) => n.name),
        naturalKey,
      ),
    );
  }

  /** Changes when any node of the pool, or any pod on them, changes. */
  laneVersion(pool: string): number {
    return this.laneVersions.get(pool) ?? 0;
  }

  /** Changes when the node or any pod on it changes. */
  nodeVersion(name: string): number {
    return this.nodeVersions.get(name) ?? 0;
  }

  /** The pods bound to a node, by workload then name. */
  podsOn(node: string): PodView[] {
    return this.cached(`pods:${node}`, this.nodeVersion(node), () =>
      sortByKey([...(this.podsByNode.get(node)?.values() ?? [])], (p) =>
        naturalKey(`${p.workload}\u0000${p.name}`),
      ),
    );
  }

  pendingPods(): PodView[] {
    return this.cached('pending', this.pendingVersion, () =>
      sortByKey([...this.pending.values()], (p) => naturalKey(p.name)),
    );
  }

  workloadList(): WorkloadView[] {
    return this.cached('workloads', this.workloadsVersion, () =>
      sortByKey([...this.workloads.values()], (w) => naturalKey(`${w.pool}\u0000${w.name}`)),
    );
  }

  /** Ready and total nodes of a pool. */
  readiness(pool: string): { ready: number; total: number } {
    const names = this.nodesIn(pool);
    let ready = 0;
    for (const name of names) if (this.nodes.get(name)?.ready) ready += 1;
    return { ready, total: names.length };
  }

  private next(): number {
    this.seq += 1;
    return this.seq;
  }

  private cached<T>(key: string, version: number, compute: () => T): T {
    const hit = this.cache.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = compute();
    this.cache.set(key, { version, value });
    return value;
  }

  private clear(): void {
    this.nodes.clear();
    this.pods.clear();
    this.workloads.clear();
    this.podsByNode.clear();
    this.pending.clear();
    this.nodeVersions.clear();
    this.laneVersions.clear();
    this.cache.clear();
  }

  private touchNode(name: string, pool: string | undefined): void {
    const v = this.next();
    this.nodeVersions.set(name, v);
    const lane = this.nodes.get(name)?.pool ?? pool;
    if (lane !== undefined) this.laneVersions.set(lane, v);
  }

  private putNode(node: NodeView): void {
    const before = this.nodes.get(node.name);
    this.nodes.set(node.name, node);
    if (!before || before.pool !== node.pool) {
      this.structureVersion = this.next();
      if (before) this.touchNode(node.name, before.pool);
    }
    this.touchNode(node.name, node.pool);
  }

  private deleteNode(name: string): void {
    const before = this.nodes.get(name);
    if (!before) return;
    this.touchNode(name, before.pool);
    this.nodes.delete(name);
    this.structureVersion = this.next();
  }

  private putPod(pod: PodView): void {
    const before = this.pods.get(pod.key);
    if (before) this.unindexPod(before);
    this.pods.set(pod.key, pod);
    if (pod.node) {
      let group = this.podsByNode.get(pod.node);
      if (!group) this.podsByNode.set(pod.node, (group = new Map()));
      group.set(pod.key, pod);
      this.touchNode(pod.node, pod.pool);
    }
    if (isPending(pod)) {
      this.pending.set(pod.key, pod);
      this.pendingVersion = this.next();
    }
  }

  private deletePod(key: string): void {
    const before = this.pods.get(key);
    if (!before) return;
    this.unindexPod(before);
    this.pods.delete(key);
  }

  private unindexPod(pod: PodView): void {
    if (pod.node) {
      this.podsByNode.get(pod.node)?.delete(pod.key);
      this.touchNode(pod.node, pod.pool);
    }
    if (this.pending.delete(pod.key)) this.pendingVersion = this.next();
  }
}
