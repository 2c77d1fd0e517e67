// The live cluster view behind `cluster.watch`: one watch store per lab, shared by every
// subscriber. A subscriber gets the whole view (`reset`), then only what changed (`delta`):
// changes are gathered for a few tens of milliseconds, each changed object's wire view is compared
// with the one sent last, and one delta goes out. The work per change is proportional to what
// changed, so a lab of 1,000 nodes and 10,000 pods streams without rescanning everything.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterMessage, NodeView, PodView, PoolView, WorkloadView } from '../contract/wire-types.ts';
import { describeError, KartStreamError } from '../errors/kartstream-error.ts';
import { kubeClients, type KubeClients } from '../kube/kube-client.ts';
import { WatchStore, type ObjectChange } from '../kube/watch-store.ts';
import { explainPending } from '../stack/explain-pending.ts';
import { nodeView, podKey, podView, poolViews, workloadView } from './cluster-views.ts';
import type { OpenLab } from '../lab/open-lab.ts';

/** How long changes are gathered before a delta goes out. */
export const COALESCE_MS = 40;
/** How long a lab's store keeps running after its last subscriber left (a page reload comes back). */
const LINGER_MS = 30_000;
/** How often an unreachable lab is tried again. */
const RETRY_MS = 2_000;
const PROBE_TIMEOUT_MS = 5_000;
/** A subscriber this far behind gets one fresh `reset` instead of the backlog. */
const MAX_BACKLOG = 64;

/** What decides whether a pod fits a node: a change here can change why Pending pods wait. */
const schedulingSignature = (node: V1Node): string =>
  JSON.stringify([node.metadata?.labels ?? {}, node.spec?.taints ?? [], node.spec?.unschedulable ?? false]);

interface Sent<V> {
  view: V;
  json: string;
}

interface Subscriber {
  queue: ClusterMessage[];
  wake?: () => void;
  closed: boolean;
}

type DeltaMessage = Extract<ClusterMessage, { type: 'delta' }>;

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KartStreamError('timeout', `${what} did not answer within ${ms / 1000} s`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
};

/** The live view of one lab for every subscriber of it. */
class LabFeed {
  private readonly subscribers = new Set<Subscriber>();
  private state: 'idle' | 'connecting' | 'online' | 'offline' = 'idle';
  /** Bumped on every (re)connect and stop: late results of an older attempt are dropped. */
  private generation = 0;
  private store?: WatchStore;
  private clients?: KubeClients;
  private namespace = '';
  private pools: PoolView[] = [];
  private offline?: ClusterMessage;
  /** Why the online view may be out of date (a watch could not be restarted), if it may. */
  private stale?: string;
  private probing = false;
  private flushTimer?: NodeJS.Timeout;
  private lingerTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;

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

  constructor(
    private readonly lab: string,
    private readonly open: (lab: string) => Promise<OpenLab>,
  ) {}

  async *messages(signal: AbortSignal): AsyncIterable<ClusterMessage> {
    const subscriber: Subscriber = { queue: [], closed: false };
    this.subscribe(subscriber);
    try {
      while (!signal.aborted && !subscriber.closed) {
        if (subscriber.queue.length === 0)
          await new Promise<void>((resolve) => {
            const done = () => {
              signal.removeEventListener('abort', done);
              subscriber.wake = undefined;
              resolve();
            };
            subscriber.wake = done;
            signal.addEventListener('abort', done, { once: true });
          });
        while (subscriber.queue.length > 0 && !signal.aborted)
          yield subscriber.queue.shift() as ClusterMessage;
      }
    } finally {
      this.unsubscribe(subscriber);
    }
  }

  /** Stops watching; with `final`, also ends every subscriber's stream (server shutdown). */
  async stop(final = false): Promise<void> {
    this.generation += 1;
    this.state = 'idle';
    for (const timer of [this.flushTimer, this.lingerTimer, this.retryTimer]) clearTimeout(timer);
    this.flushTimer = this.lingerTimer = this.retryTimer = undefined;
    const store = this.store;
    this.store = undefined;
    this.clients = undefined;
    this.clear();
    if (final)
      for (const s of this.subscribers) {
        s.closed = true;
        s.wake?.();
      }
    await store?.stop();
  }

  private subscribe(subscriber: Subscriber): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.subscribers.add(subscriber);
    if (this.state === 'idle') void this.connect();
    else if (this.state === 'online') subscriber.queue.push(...this.fullView());
    else if (this.state === 'offline' && this.offline) subscriber.queue.push(this.offline);
  }

  private unsubscribe(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && this.state !== 'idle')
      this.lingerTimer = setTimeout(() => void this.stop(), LINGER_MS);
  }

  private send(message: ClusterMessage): void {
    for (const s of this.subscribers) {
      // A subscriber that does not keep up gets the whole view once rather than a growing backlog.
      if (s.queue.length >= MAX_BACKLOG) s.queue = message.type === 'offline' ? [message] : this.fullView();
      else s.queue.push(message);
      s.wake?.();
    }
  }

  // The whole view for a subscriber: a reset, and whether it may be out of date.
  private fullView(): ClusterMessage[] {
    const reset = this.reset();
    return this.stale ? [reset, { type: 'stale', reason: this.stale, at: reset.at }] : [reset];
  }

  private reset(): ClusterMessage {
    const views = <V>(map: Map<string, Sent<V>>) => [...map.values()].map((s) => s.view);
    const byName = (a: { name: string }, b: { name: string }) =>
      a.name.localeCompare(b.name, undefined, { numeric: true });
    return {
      type: 'reset',
      lab: this.lab,
      pools: this.pools,
      nodes: views(this.nodes).sort(byName),
      pods: views(this.pods).sort((a, b) => a.key.localeCompare(b.key)),
      workloads: views(this.workloads).sort(byName),
      at: Date.now(),
    };
  }

  // Opens the lab's API and its store; on success everyone gets a fresh `reset`.
  private async connect(): Promise<void> {
    const generation = ++this.generation;
    if (this.state !== 'offline') this.state = 'connecting';
    let store: WatchStore | undefined;
    try {
      const { record, lab } = await this.open(this.lab);
      const clients = kubeClients(lab.kubeconfigPath);
      await withTimeout(clients.core.listNode({ limit: 1 }), PROBE_TIMEOUT_MS, 'the Kubernetes API');
      store = new WatchStore(clients);
      let failed: unknown;
      const stopCatching = store.onWatchError((error) => (failed ??= error));
      await store.start();
      if (generation !== this.generation) return void (await store.stop());
      if (failed) throw failed;
      stopCatching();
      store.onWatchError((error) => void this.checkAlive(error, generation));
      store.onObjectChange((change) => this.changed(change));
      store.onStaleChange((reason) => {
        if (generation !== this.generation || this.state !== 'online') return;
        this.stale = reason;
        this.send({ type: 'stale', reason: reason ?? null, at: Date.now() });
      });
      this.store = store;
      this.clients = clients;
      this.namespace = record.namespace;
      this.pools = poolViews(lab.topology);
      this.state = 'online';
      this.offline = undefined;
      this.stale = store.stale();
      this.clear();
      for (const n of store.nodes()) this.dirtyNodes.set(n.metadata?.name ?? '', n);
      for (const p of store.pods()) this.dirtyPods.set(podKey(p), p);
      for (const d of store.deployments(record.namespace))
        this.dirtyWorkloads.set(`${record.namespace}/${d.metadata?.name ?? ''}`, d);
      this.computeDelta();
      for (const message of this.fullView()) this.send(message);
    } catch (error) {
      await store?.stop();
      if (generation === this.generation) this.goOffline(error);
    }
  }

  private goOffline(error: unknown): void {
    const store = this.store;
    this.store = undefined;
    this.clients = undefined;
    void store?.stop();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.state = 'offline';
    this.stale = undefined;
    const message = `lab ${this.lab} is not reachable: ${describeError(error).split('\n')[0]}; trying again every ${RETRY_MS / 1000} s`;
    if (this.offline?.type !== 'offline' || this.offline.message !== message) {
      this.offline = { type: 'offline', message, at: Date.now() };
      this.send(this.offline);
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), RETRY_MS);
  }

  // A dropped watch is normal (the store lists and watches again); an API that does not answer
  // makes the lab offline.
  private async checkAlive(error: unknown, generation: number): Promise<void> {
    if (this.probing || this.state !== 'online' || !this.clients) return;
    this.probing = true;
    try {
      await withTimeout(this.clients.core.listNode({ limit: 1 }), PROBE_TIMEOUT_MS, 'the Kubernetes API');
    } catch {
      if (generation === this.generation && this.state === 'online') this.goOffline(error);
    } finally {
      this.probing = false;
    }
  }

  private changed({ kind, type, object }: ObjectChange): void {
    if (this.state !== 'online') return;
    const gone = type === 'delete';
    if (kind === 'Node') this.dirtyNodes.set(object.metadata?.name ?? '', gone ? null : (object as V1Node));
    else if (kind === 'Pod') this.dirtyPods.set(podKey(object as V1Pod), gone ? null : (object as V1Pod));
    else if (kind === 'Deployment' && object.metadata?.namespace === this.namespace)
      this.dirtyWorkloads.set(
        `${this.namespace}/${object.metadata.name ?? ''}`,
        gone ? null : (object as V1Deployment),
      );
    else return;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const d = this.computeDelta();
      const size =
        d.nodes.length +
        d.pods.length +
        d.workloads.length +
        d.deletedNodes.length +
        d.deletedPods.length +
        d.deletedWorkloads.length;
      if (size > 0) this.send({ ...d, at: Date.now() });
    }, COALESCE_MS);
  }

  // Shown: every pod of the shop's namespace, and any Pending pod (a full pool, a missing toleration).
  private shows(pod: V1Pod): boolean {
    return pod.metadata?.namespace === this.namespace || pod.status?.phase === 'Pending';
  }

  // Turns the dirty objects into a delta and makes it the last sent state.
  private computeDelta(): DeltaMessage {
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

    const allNodes = this.store?.nodes() ?? [];
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

  private clear(): void {
    for (const map of [
      this.nodes,
      this.pods,
      this.workloads,
      this.podObjects,
      this.podsOnNode,
      this.nodeSignatures,
      this.dirtyNodes,
      this.dirtyPods,
      this.dirtyWorkloads,
    ])
      map.clear();
    this.pendingPods.clear();
  }
}

/** Every lab's feed; a lab's store runs while someone watches it (and a little longer). */
export class ClusterFeeds {
  private readonly feeds = new Map<string, LabFeed>();
  private closed = false;

  /** `open` opens a lab that must exist (its errors are the caller's, e.g. not-found). */
  constructor(private readonly open: (lab: string) => Promise<OpenLab>) {}

  async *watch(lab: string, signal: AbortSignal): AsyncIterable<ClusterMessage> {
    // An unknown lab is an error of the call, not an offline view.
    await this.open(lab);
    if (this.closed) return;
    let feed = this.feeds.get(lab);
    if (!feed) this.feeds.set(lab, (feed = new LabFeed(lab, this.open)));
    yield* feed.messages(signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.feeds.values()].map((f) => f.stop(true)));
    this.feeds.clear();
  }
}
