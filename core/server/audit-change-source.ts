// Where the timeline recorder gets the cluster's audited changes with their person (issue #17,
// item 3): a source yields one change per audit event that changed something; the API server's
// audit-log reader is one, tests can feed another. `actor` is the person (`local` for the lab's
// owner); controllers are left out by the source.
export interface AuditChange {
  at: string;
  actor: string;
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
  text: string;
}

/** The lab's audited changes from now on, until `signal` aborts. */
export type AuditChangeSource = (lab: string, signal: AbortSignal) => AsyncIterable<AuditChange>;
