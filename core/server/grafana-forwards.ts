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

export type OpenPortForward = (kubeconfigPath: string, target: ForwardTarget) => Promise<PortForward>;

/** Grafana as manifests/monitoring deploys it on kind and EKS. */
export const GRAFANA_TARGET: ForwardTarget = { namespace: 'monitoring', service: 'grafana', port: 3000 };

export class GrafanaForwards {
  private readonly opening = new Map<string, Promise<PortForward>>();
  private readonly open = new Map<string, PortForward>();

  constructor(private readonly openForward: OpenPortForward) {}

  /** The lab's forward, opened now unless one is open or opening. */
  async forward(lab: string, kubeconfigPath: string): Promise<PortForward> {
    const ready = this.open.get(lab);
    if (ready) return ready;
    let pending = this.opening.get(lab);
    if (!pending) {
      pending = this.openForward(kubeconfigPath, GRAFANA_TARGET).finally(() => this.opening.delete(lab));
      this.opening.set(lab, pending);
      void pending.then(
        (f) => this.open.set(lab, f),
        () => undefined,
      );
    }
    const forward = await pending;
    this.open.set(lab, forward);
    return forward;
  }

  /** The URL of the lab's open forward, if any. */
  url(lab: string): string | undefined {
    return this.open.get(lab)?.url;
  }

  /** Closes the lab's forward (also one still opening); a no-op when there is none. */
  async close(lab: string): Promise<void> {
    const pending = this.opening.get(lab);
    const forward = this.open.get(lab) ?? (pending ? await pending.catch(() => undefined) : undefined);
    this.open.delete(lab);
    if (forward) await forward.close();
  }

  async closeAll(): Promise<void> {
    const labs = new Set([...this.open.keys(), ...this.opening.keys()]);
    for (const lab of labs) await this.close(lab);
  }
}
