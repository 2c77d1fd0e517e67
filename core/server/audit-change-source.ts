// Where the timeline recorder gets the cluster's audited changes with their person (issue #17,
// item 3): a source yields one change per audit event that changed something. The lab's API
// server audit log (core/lab/audit-log.ts) is the source; tests can feed another. `actor` is the
// person (`local` for the lab's owner); controllers are left out by the source.
import { followAuditChanges, type AuditChange } from '../lab/audit-log.ts';

export type { AuditChange };

/** The lab's audited changes from now on, until `signal` aborts. */
export type AuditChangeSource = (lab: string, signal: AbortSignal) => AsyncIterable<AuditChange>;

/** The changes the lab's API server writes to its audit log from now on. */
export const auditLogSource: AuditChangeSource = async function* (lab, signal) {
  const queue: AuditChange[] = [];
  let wake: (() => void) | undefined;
  const follower = await followAuditChanges(lab, (change) => {
    queue.push(change);
    wake?.();
  });
  const aborted = () => wake?.();
  signal.addEventListener('abort', aborted);
  try {
    while (!signal.aborted) {
      const next = queue.shift();
      if (next) yield next;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal.removeEventListener('abort', aborted);
    follower.stop();
  }
};
