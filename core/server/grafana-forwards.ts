// The server's port-forwards to labs' in-cluster Grafana: at most one per lab, opened on first
// use and kept while the app runs (the URL stays the same for the learner), closed when the lab
// is removed or the server stops. Two clicks at once share one forward.

export interface PortForward {
  /** http://127.0.0.1:<localPort> */
  url: string;
  localPort: number;
  close(): Promise<void> | void;
}

export interface ForwardTarget {
  namespace: string;
  service: string;
  port: number;
}

/** The shape of core/kube/port-forward.ts's `openPortForward`, so tests can stand in for it. */
export type OpenPortForward = (kubeconfigPath: string, target: ForwardTarget) => Promise<PortForward>;

/** Grafana as manifests/monitoring deploys it on kind and EKS. */
export const GRAFANA_TARGET: ForwardTarget = { namespace: 'monitoring', service: 'grafana', port: 3000 };

export class GrafanaForwards {
  /** Each lab's forward, open or opening. */
  private readonly forwards = new Map<string, Promise<PortForward>>();
  /** The URL of each lab's forward once it is open. */
  private readonly urls = new Map<string, string>();

  constructor(private readonly openForward: OpenPortForward) {}

  /** The lab's forward, opened now unless one is open or opening. */
  forward(lab: string, kubeconfigPath: string): Promise<PortForward> {
    const known = this.forwards.get(lab);
    if (known) return known;
    const opening = this.openForward(kubeconfigPath, GRAFANA_TARGET);
    this.forwards.set(lab, opening);
    // Only while it is still this lab's forward: a close() during the opening has dropped it.
    const current = () => this.forwards.get(lab) === opening;
    opening.then(
      (f) => current() && this.urls.set(lab, f.url),
      // A forward that failed to open is forgotten, so the next click tries again.
      () => current() && this.forwards.delete(lab),
    );
    return opening;
  }

  /** The URL of the lab's open forward, if any. */
  url(lab: string): string | undefined {
    return this.urls.get(lab);
  }

  /** Closes the lab's forward (also one still opening); a no-op when there is none. */
  async close(lab: string): Promise<void> {
    const known = this.forwards.get(lab);
    this.forwards.delete(lab);
    this.urls.delete(lab);
    const forward = await known?.catch(() => undefined);
    await forward?.close();
  }

  async closeAll(): Promise<void> {
    for (const lab of [...this.forwards.keys()]) await this.close(lab);
  }
}
