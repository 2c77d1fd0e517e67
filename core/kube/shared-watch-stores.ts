// One watch store per lab for everything a process runs on it. The server's map, its usage
// figures and the scenario and game-day runs it starts all read the same store (a 10,000-pod lab
// listed and held once, not once per reader); the CLI's runs keep their own (`ownStore`).
// A store is shared while anyone holds a lease on it and lingers a little after the last one
// (a page reload or the map's next usage poll comes back); it is stopped after that.
import { kubeClients } from './kube-client.ts';
import { WatchStore } from './watch-store.ts';

/** A reader's hold on a store. */
export interface StoreLease {
  readonly store: WatchStore;
  /** Resolves when the store's first lists (and events, when asked for) are in; rejects when one failed. */
  start(): Promise<void>;
  /** Gives the store back; a second call does nothing. */
  release(): Promise<void>;
  /**
   * Gives the store back and lets the next lease build a new one (the lab's API went away and
   * may come back as a new cluster under the same kubeconfig); current holders keep this one.
   */
  discard(): Promise<void>;
}

export interface LeaseOptions {
  /** Whether the reader needs events; default true (scenario checks do, the map does not). */
  events?: boolean;
}

/** Where a reader gets its store for the lab of a kubeconfig. */
export type StoreSource = (kubeconfigPath: string, options?: LeaseOptions) => StoreLease;

/** A store of the reader's own, stopped when released (the CLI's runs). */
export const ownStore: StoreSource = (kubeconfigPath, options = {}) => {
  const store = new WatchStore(kubeClients(kubeconfigPath), { events: options.events ?? true });
  const stop = () => store.stop();
  return { store, start: () => store.start(), release: stop, discard: stop };
};

/** How long a store nobody holds keeps running. */
const LINGER_MS = 30_000;

interface Entry {
  store: WatchStore;
  holders: number;
  linger?: NodeJS.Timeout;
}

/** The stores of one process, by kubeconfig path (one per lab). */
export class SharedWatchStores {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly lingerMs = LINGER_MS) {}

  /** How many stores run (held or lingering). */
  get size(): number {
    return this.entries.size;
  }

  lease: StoreSource = (kubeconfigPath, options = {}) => {
    let entry = this.entries.get(kubeconfigPath);
    if (!entry) {
      // Made without events: the map needs none, and a reader that does adds them (includeEvents).
      entry = { store: new WatchStore(kubeClients(kubeconfigPath), { events: false }), holders: 0 };
      this.entries.set(kubeconfigPath, entry);
    }
    const held = entry;
    held.holders += 1;
    clearTimeout(held.linger);
    held.linger = undefined;
    let released = false;
    const forget = () => {
      if (this.entries.get(kubeconfigPath) === held) this.entries.delete(kubeconfigPath);
    };
    const release = async (discard: boolean): Promise<void> => {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (discard) forget();
      if (held.holders > 0) return;
      if (this.entries.get(kubeconfigPath) !== held) return void (await held.store.stop());
      held.linger = setTimeout(() => {
        if (held.holders > 0) return;
        forget();
        void held.store.stop();
      }, this.lingerMs);
    };
    return {
      store: held.store,
      // A store's start resolves even when a list fails (its watches retry): here that failure
      // rejects, and a store whose first list failed is not handed out again.
      start: async () => {
        let failed: unknown;
        const stopCatching = held.store.onWatchError((error) => (failed ??= error));
        try {
          await held.store.start();
          if (options.events ?? true) await held.store.includeEvents();
        } catch (error) {
          failed ??= error;
        } finally {
          stopCatching();
        }
        if (failed === undefined) return;
        forget();
        throw failed;
      },
      release: () => release(false),
      discard: () => release(true),
    };
  };

  /** Stops every store (the server closes). */
  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      entries.map((entry) => {
        clearTimeout(entry.linger);
        return entry.store.stop();
      }),
    );
  }
}
