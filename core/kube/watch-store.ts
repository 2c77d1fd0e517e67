// The single in-memory view of a cluster: informers on nodes, pods, deployments and events.
// Readers (status, waits, scenario checks, the UI) read it; a change wakes them, nothing polls.
// The objects are slimmed (slim-objects.ts: no managedFields, no volumes...) and listed in pages
// (slim-informer.ts), which keeps a 10,000-pod lab's store small.
import type {
  CoreV1Event,
  Informer,
  KubernetesObject,
  ObjectCache,
  V1Deployment,
  V1Node,
  V1Pod,
} from '@kubernetes/client-node';
import { describeError, KartStreamError } from '../errors/kartstream-error.ts';
import type { KubeClients } from './kube-client.ts';
import { makeSlimInformer } from './slim-informer.ts';

type Watched<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/** How long a dropped watch waits before it lists and watches again. */
const RESTART_DELAY_MS = 1000;

/** One object added, updated or deleted, as the store's caches already reflect it. */
export interface ObjectChange {
  kind: 'Node' | 'Pod' | 'Deployment' | 'Event';
  type: 'add' | 'update' | 'delete';
  object: KubernetesObject;
}

export interface WatchStoreOptions {
  /**
   * Whether events (of every namespace) are watched; default true. A reader that never asks for
   * them (the map) leaves them out: at 10,000 pods they are another ~20 MB.
   */
  events?: boolean;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export class WatchStore {
  private readonly informers: Watched<KubernetesObject>[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly objectListeners = new Set<(change: ObjectChange) => void>();
  private readonly errorListeners = new Set<(error: unknown) => void>();
  private readonly staleListeners = new Set<(reason: string | undefined) => void>();
  /** Kinds whose watch could not be restarted, with the reason. */
  private readonly staleKinds = new Map<ObjectChange['kind'], string>();
  private readonly nodeInformer: Watched<V1Node>;
  private readonly podInformer: Watched<V1Pod>;
  private readonly deploymentInformer: Watched<V1Deployment>;
  private eventInformer?: Watched<CoreV1Event>;
  /** The events' first list, when they were added after start(). */
  private eventsListed?: Promise<void>;
  private starting?: Promise<void>;
  private readonly clients: KubeClients;
  private stopped = false;
  private readonly restarts = new Set<NodeJS.Timeout>();
  /** Watch errors seen since start; a restart follows each one. */
  errors = 0;

  constructor(clients: KubeClients, options: WatchStoreOptions = {}) {
    this.clients = clients;
    const { config, core, apps } = clients;
    this.nodeInformer = makeSlimInformer(config, 'Node', '/api/v1/nodes', (page) => core.listNode(page));
    this.podInformer = makeSlimInformer(config, 'Pod', '/api/v1/pods', (page) =>
      core.listPodForAllNamespaces(page),
    );
    this.deploymentInformer = makeSlimInformer(config, 'Deployment', '/apis/apps/v1/deployments', (page) =>
      apps.listDeploymentForAllNamespaces(page),
    );
    this.track(this.nodeInformer as unknown as Watched<KubernetesObject>, 'Node');
    this.track(this.podInformer as unknown as Watched<KubernetesObject>, 'Pod');
    this.track(this.deploymentInformer as unknown as Watched<KubernetesObject>, 'Deployment');
    if (options.events ?? true) this.addEventInformer();
  }

  private addEventInformer(): Watched<CoreV1Event> {
    const { config, core } = this.clients;
    const informer = makeSlimInformer(config, 'Event', '/api/v1/events', (page) =>
      core.listEventForAllNamespaces(page),
    );
    this.eventInformer = informer;
    this.track(informer as unknown as Watched<KubernetesObject>, 'Event');
    return informer;
  }

  /**
   * Watches events too, for a store made with `events: false` that gains a reader of them (a
   * scenario run joining the map's store). Resolves when they are listed (before `start()`, the
   * informer simply starts with the others).
   */
  includeEvents(): Promise<void> {
    if (!this.eventInformer) {
      const informer = this.addEventInformer();
      if (this.starting) this.eventsListed = informer.start().then(() => this.notify());
    }
    return this.eventsListed ?? this.starting ?? Promise.resolve();
  }

  private track(informer: Watched<KubernetesObject>, kind: ObjectChange['kind']): void {
    this.informers.push(informer);
    for (const type of ['add', 'update', 'delete'] as const)
      informer.on(type, (object: KubernetesObject) => {
        for (const listener of [...this.objectListeners]) listener({ kind, type, object });
        this.notify();
      });
    // A dropped watch (apiserver restart, network blip) is listed and watched again. A restart
    // that fails (its list or its watch) makes the kind stale, and is tried again until one works.
    let restarting = false;
    let failedDuringRestart = false;
    const scheduleRestart = () => {
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.restarts.delete(timer);
        if (this.stopped) return;
        restarting = true;
        failedDuringRestart = false;
        informer.start().then(
          () => {
            restarting = false;
            if (!failedDuringRestart) this.setStale(kind, undefined);
          },
          (error: unknown) => {
            restarting = false;
            if (this.stopped) return;
            this.setStale(kind, error);
            scheduleRestart();
          },
        );
      }, RESTART_DELAY_MS);
      this.restarts.add(timer);
    };
    informer.on('error', (error: unknown) => {
      this.errors += 1;
      for (const listener of [...this.errorListeners]) listener(error);
      if (this.stopped) return;
      if (restarting) {
        failedDuringRestart = true;
        this.setStale(kind, error);
      }
      scheduleRestart();
    });
  }

  private setStale(kind: ObjectChange['kind'], error: unknown): void {
    const before = this.stale();
    if (error === undefined) this.staleKinds.delete(kind);
    else this.staleKinds.set(kind, describeError(error).split('\n')[0] ?? String(error));
    const after = this.stale();
    if (after !== before) for (const listener of [...this.staleListeners]) listener(after);
  }

  // Why some of the store may be out of date (a watch that could not be restarted), or
  // undefined when every watch runs.
  stale(): string | undefined {
    if (this.staleKinds.size === 0) return undefined;
    const kinds = [...this.staleKinds.keys()];
    const reasons = [...new Set(this.staleKinds.values())];
    return `the ${kinds.join(', ')} watch${kinds.length > 1 ? 'es' : ''} could not be restarted (${reasons.join('; ')}); what is shown of them may be out of date, trying again every ${RESTART_DELAY_MS / 1000} s`;
  }

  // Calls `listener` with the new stale() whenever it changes; returns the unsubscribe.
  onStaleChange(listener: (reason: string | undefined) => void): () => void {
    this.staleListeners.add(listener);
    return () => this.staleListeners.delete(listener);
  }

  // Lists everything once and starts watching; resolves when the first lists are in.
  start(): Promise<void> {
    return (this.starting ??= (async () => {
      await Promise.all(this.informers.map((i) => i.start()));
      this.notify();
    })());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.restarts) clearTimeout(timer);
    await Promise.all(this.informers.map((i) => i.stop().catch(() => undefined)));
    this.listeners.clear();
    this.objectListeners.clear();
    this.errorListeners.clear();
    this.staleListeners.clear();
  }

  nodes = (): readonly V1Node[] => this.nodeInformer.list();
  pods = (namespace?: string): readonly V1Pod[] => this.podInformer.list(namespace);
  deployments = (namespace?: string): readonly V1Deployment[] => this.deploymentInformer.list(namespace);
  events = (namespace?: string): readonly CoreV1Event[] => {
    // A programming error, not a user's: the store was made for a reader that needs no events.
    if (!this.eventInformer) throw new Error('this WatchStore was created with `events: false`');
    return this.eventInformer.list(namespace);
  };

  // Calls `listener` after every change; returns the unsubscribe.
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Calls `listener` with each object that changed (per object, unlike onChange); returns the unsubscribe.
  onObjectChange(listener: (change: ObjectChange) => void): () => void {
    this.objectListeners.add(listener);
    return () => this.objectListeners.delete(listener);
  }

  // Calls `listener` when a watch drops or a list fails (a restart follows); returns the unsubscribe.
  onWatchError(listener: (error: unknown) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  // Resolves when `check` returns true, re-checking on every change. `check` returns a string
  // saying what is still missing, which becomes the timeout message.
  waitFor(what: string, check: () => true | string, options: WaitOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      let last = '';
      const finish = (error?: Error) => {
        unsubscribe();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const evaluate = () => {
        const result = check();
        if (result === true) finish();
        else last = result;
      };
      const onAbort = () => finish(new KartStreamError('canceled', `canceled while waiting for ${what}`));
      const timer = setTimeout(
        () =>
          finish(
            new KartStreamError(
              'timeout',
              `timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}`,
              {
                details: last ? [`still waiting for: ${last}`] : [],
              },
            ),
          ),
        options.timeoutMs,
      );
      const unsubscribe = this.onChange(evaluate);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      else evaluate();
    });
  }
}
