// event: an event with a reason (about an object whose name starts with `object`) was seen in
// the current step.
import type { CheckHandler } from './check-handler.ts';

export const event: CheckHandler<'event'> = {
  evaluate: ({ store, namespace }, { reason, object }, since) => {
    const seen = store
      .events(namespace)
      .some(
        (e) =>
          e.reason === reason &&
          (!object || (e.involvedObject?.name ?? '').startsWith(object)) &&
          new Date(String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0)).getTime() >=
            since.getTime() - 1000,
      );
    return { ok: seen, detail: seen ? `${reason} seen` : `no ${reason} event yet` };
  },
};
