// Hands one stream of messages to many subscribers, each at its own pace. A subscriber that falls
// too far behind gets the whole view once instead of a growing backlog.

/** A subscriber this far behind gets one fresh whole view instead of the backlog. */
const MAX_BACKLOG = 64;

interface Subscriber<M> {
  queue: M[];
  wake?: () => void;
  closed: boolean;
}

export class FeedFanout<M> {
  private readonly subscribers = new Set<Subscriber<M>>();

  /**
   * `catchUp(message)` gives what replaces a full backlog when `message` is sent to a slow
   * subscriber (the whole view, or the message alone when it says the view is gone).
   */
  constructor(private readonly catchUp: (message: M) => M[]) {}

  get size(): number {
    return this.subscribers.size;
  }

  /**
   * One subscriber's stream, until `signal` aborts or `closeAll` is called. `onJoin` gives the
   * messages it starts with; `onLeave` runs when it has gone.
   */
  async *stream(signal: AbortSignal, onJoin: () => M[], onLeave: () => void): AsyncIterable<M> {
    const subscriber: Subscriber<M> = { queue: [], closed: false };
    this.subscribers.add(subscriber);
    subscriber.queue.push(...onJoin());
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
        while (subscriber.queue.length > 0 && !signal.aborted) yield subscriber.queue.shift() as M;
      }
    } finally {
      this.subscribers.delete(subscriber);
      onLeave();
    }
  }

  send(message: M): void {
    for (const s of this.subscribers) {
      if (s.queue.length >= MAX_BACKLOG) s.queue = this.catchUp(message);
      else s.queue.push(message);
      s.wake?.();
    }
  }

  /** Ends every subscriber's stream (server shutdown). */
  closeAll(): void {
    for (const s of this.subscribers) {
      s.closed = true;
      s.wake?.();
    }
  }
}
