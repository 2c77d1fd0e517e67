// The live cluster view behind `cluster.watch`: the lab's watch store (shared-watch-stores.ts:
// the one the server's usage figures and runs read too), one view per lab for every subscriber. A subscriber gets the whole view (`reset`), then only what changed (`delta`):
// changes are gathered for a few tens of milliseconds and one delta goes out (cluster-diff.ts
// computes it; feed-fanout.ts hands it to each subscriber at its own pace). This module keeps the
// lab's connection: connecting, going offline and retrying, and saying when the view may be stale.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterMessage, PoolView } from '../contract/wire-types.ts';
import { describeError, KartStreamError } from '../errors/kartstream-error.ts';
import { kubeClients, type KubeClients } from '../kube/kube-client.ts';
import type { StoreLease, StoreSource } from '../kube/shared-watch-stores.ts';
import type { ObjectChange, WatchStore } from '../kube/watch-store.ts';
import type { OpenLab } from '../lab/open-lab.ts';
import { ClusterDiff, deltaSize } from './cluster-diff.ts';
import { poolViews } from './cluster-views.ts';
import { FeedFanout } from './feed-fanout.ts';

/** How long changes are gathered before a delta goes out. */
export const COALESCE_MS = 40;
/** How long a lab's store keeps running after its last subscriber left (a page reload comes back). */
const LINGER_MS = 30_000;
/** How often an unreachable lab is tried again. */
const RETRY_MS = 2_000;
const PROBE_TIMEOUT_MS = 5_000;

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
  private readonly fanout = new FeedFanout<ClusterMessage>((message) =>
    message.type === 'offline' ? [message] : this.fullView(),
  );
  private state: 'idle' | 'connecting' | 'online' | 'offline' = 'idle';
  /** Bumped on every (re)connect and stop: late results of an older attempt are dropped. */
  private generation = 0;
  private store?: WatchStore;
  /** The hold on the lab's shared store, and the listeners this feed put on it. */
  private lease?: { lease: StoreLease; unsubscribe: (() => void)[] };
  private clients?: KubeClients;
  private diff = new ClusterDiff('');
  private pools: PoolView[] = [];
  private offline?: ClusterMessage;
  /** Why the online view may be out of date (a watch could not be restarted), if it may. */
  private stale?: string;
  private probing = false;
  private flushTimer?: NodeJS.Timeout;
  private lingerTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly lab: string,
    private readonly open: (lab: string) => Promise<OpenLab>,
    private readonly stores: StoreSource,
  ) {}

  messages(signal: AbortSignal): AsyncIterable<ClusterMessage> {
    return this.fanout.stream(
      signal,
      () => this.join(),
      () => this.left(),
    );
  }

  /** Stops watching; with `final`, also ends every subscriber's stream (server shutdown). */
  async stop(final = false): Promise<void> {
    this.generation += 1;
    this.state = 'idle';
    for (const timer of [this.flushTimer, this.lingerTimer, this.retryTimer]) clearTimeout(timer);
    this.flushTimer = this.lingerTimer = this.retryTimer = undefined;
    this.store = undefined;
    this.clients = undefined;
    this.diff = new ClusterDiff('');
    if (final) this.fanout.closeAll();
    await this.letGo(this.lease);
    this.lease = undefined;
  }

  // Removes this feed's listeners from the shared store and gives it back (`discard`: the lab's
  // API is gone, so the next connect builds a new store).
  private async letGo(held: LabFeed['lease'], discard = false): Promise<void> {
    if (!held) return;
    for (const unsubscribe of held.unsubscribe) unsubscribe();
    await (discard ? held.lease.discard() : held.lease.release());
  }

  // What a new subscriber starts with.
  private join(): ClusterMessage[] {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    if (this.state === 'idle') void this.connect();
    else if (this.state === 'online') return this.fullView();
    else if (this.state === 'offline' && this.offline) return [this.offline];
    return [];
  }

  private left(): void {
    if (this.fanout.size === 0 && this.state !== 'idle')
      this.lingerTimer = setTimeout(() => void this.stop(), LINGER_MS);
  }

  // The whole view for a subscriber: a reset, and whether it may be out of date.
  private fullView(): ClusterMessage[] {
    const reset = this.diff.reset(this.lab, this.pools);
    return this.stale ? [reset, { type: 'stale', reason: this.stale, at: reset.at }] : [reset];
  }

  // Opens the lab's API and its store; on success everyone gets a fresh `reset`.
  private async connect(): Promise<void> {
    const generation = ++this.generation;
    if (this.state !== 'offline') this.state = 'connecting';
    let held: LabFeed['lease'];
    try {
      const { record, lab } = await this.open(this.lab);
      const clients = kubeClients(lab.kubeconfigPath);
      await withTimeout(clients.core.listNode({ limit: 1 }), PROBE_TIMEOUT_MS, 'the Kubernetes API');
      // The map shows no events: it does not ask the store for them.
      const lease = this.stores(lab.kubeconfigPath, { events: false });
      const store = lease.store;
      held = { lease, unsubscribe: [] };
      await lease.start();
      if (generation !== this.generation) return void (await this.letGo(held));
      held.unsubscribe.push(
        store.onWatchError((error) => void this.checkAlive(error, generation)),
        store.onObjectChange((change) => this.changed(change)),
        store.onStaleChange((reason) => {
          if (generation !== this.generation || this.state !== 'online') return;
          this.stale = reason;
          this.fanout.send({ type: 'stale', reason: reason ?? null, at: Date.now() });
        }),
      );
      this.lease = held;
      this.store = store;
      this.clients = clients;
      this.pools = poolViews(lab.topology);
      this.state = 'online';
      this.offline = undefined;
      this.stale = store.stale();
      const diff = (this.diff = new ClusterDiff(record.namespace));
      for (const n of store.nodes()) diff.node(n.metadata?.name ?? '', n);
      for (const p of store.pods()) diff.pod(p, false);
      for (const d of store.deployments(record.namespace)) diff.deployment(d, false);
      diff.delta(store.nodes());
      for (const message of this.fullView()) this.fanout.send(message);
    } catch (error) {
      await this.letGo(held, true);
      if (generation === this.generation) this.goOffline(error);
    }
  }

  private goOffline(error: unknown): void {
    void this.letGo(this.lease, true);
    this.lease = undefined;
    this.store = undefined;
    this.clients = undefined;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.state = 'offline';
    this.stale = undefined;
    const message = `lab ${this.lab} is not reachable: ${describeError(error).split('\n')[0]}; trying again every ${RETRY_MS / 1000} s`;
    if (this.offline?.type !== 'offline' || this.offline.message !== message) {
      this.offline = { type: 'offline', message, at: Date.now() };
      this.fanout.send(this.offline);
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
    if (kind === 'Node') this.diff.node(object.metadata?.name ?? '', gone ? null : (object as V1Node));
    else if (kind === 'Pod') this.diff.pod(object as V1Pod, gone);
    else if (kind !== 'Deployment' || !this.diff.deployment(object as V1Deployment, gone)) return;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const delta = this.diff.delta(this.store?.nodes() ?? []);
      if (deltaSize(delta) > 0) this.fanout.send({ ...delta, at: Date.now() });
    }, COALESCE_MS);
  }
}

/** Every lab's feed; a lab's store runs while someone watches it (and a little longer). */
export class ClusterFeeds {
  private readonly feeds = new Map<string, LabFeed>();
  private closed = false;

  /** `open` opens a lab that must exist (its errors are the caller's, e.g. not-found). */
  constructor(
    private readonly open: (lab: string) => Promise<OpenLab>,
    private readonly stores: StoreSource,
  ) {}

  async *watch(lab: string, signal: AbortSignal): AsyncIterable<ClusterMessage> {
    // An unknown lab is an error of the call, not an offline view.
    await this.open(lab);
    if (this.closed) return;
    let feed = this.feeds.get(lab);
    if (!feed) this.feeds.set(lab, (feed = new LabFeed(lab, this.open, this.stores)));
    yield* feed.messages(signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.feeds.values()].map((f) => f.stop(true)));
    this.feeds.clear();
  }
}
