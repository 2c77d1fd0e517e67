// The soak's unrest, done the way the app does it: through the server's tRPC API (the map's
// buttons and the scenario panel call the same procedures). Random faults from the scenario
// actions, scenarios started and aborted; every call's outcome is counted, none ends the soak.
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../core/contract/router.ts';
import { kubeClients } from '../core/kube/kube-client.ts';
import { sleep } from './ui-helpers.ts';

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A client of the server at the printed URL (queries and mutations over HTTP, as the page's). */
export const apiClient = (url: string): Api =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}trpc` })] });

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

/** Outcomes by action: how many went through, how many were refused or failed, the first errors. */
export class Tally {
  readonly counts = new Map<string, { ok: number; failed: number; errors: string[] }>();

  async run(action: string, work: () => Promise<unknown>): Promise<boolean> {
    const entry = this.counts.get(action) ?? { ok: 0, failed: 0, errors: [] };
    this.counts.set(action, entry);
    try {
      await work();
      entry.ok += 1;
      return true;
    } catch (error) {
      entry.failed += 1;
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      if (entry.errors.length < 3 && !entry.errors.includes(message)) entry.errors.push(message);
      return false;
    }
  }
}

interface Shape {
  /** Pool -> its node count when the lab was made. */
  pools: Map<string, number>;
  /** Deployment -> its replicas when the lab was made. */
  replicas: Map<string, number>;
}

/** The lab's unrest: what is broken now, so heals target it, and how to put everything back. */
export class Unrest {
  readonly tally = new Tally();
  private readonly failed = new Set<string>();
  private readonly broken = new Set<string>();
  /** Pools and Deployments scaled away from their first size. */
  private readonly resizedPools = new Set<string>();
  private readonly rescaled = new Set<string>();
  private scenarioRunning = false;
  private constructor(
    private readonly api: Api,
    private readonly lab: string,
    private readonly kubeconfig: string,
    private readonly namespace: string,
    private readonly shape: Shape,
    private readonly scenarios: string[],
  ) {}

  static async of(api: Api, lab: string): Promise<Unrest> {
    const info = await api.labs.info.query({ lab });
    const { core, apps } = kubeClients(info.kubeconfigPath);
    const pools = new Map<string, number>();
    for (const n of (await core.listNode()).items) {
      const pool = n.metadata?.labels?.pool;
      if (pool) pools.set(pool, (pools.get(pool) ?? 0) + 1);
    }
    const replicas = new Map(
      (await apps.listNamespacedDeployment({ namespace: info.namespace })).items.map((d) => [
        d.metadata?.name ?? '',
        d.spec?.replicas ?? 1,
      ]),
    );
    const scenarios = (await api.scenarios.list.query())
      .filter((s) => s.backends.includes('sim'))
      .map((s) => s.id);
    return new Unrest(api, lab, info.kubeconfigPath, info.namespace, { pools, replicas }, scenarios);
  }

  /** The pool nodes there are now (a pool scale adds and removes some). */
  private async poolNodes(): Promise<string[]> {
    const { core } = kubeClients(this.kubeconfig);
    return (await core.listNode()).items
      .filter((n) => n.metadata?.labels?.pool)
      .map((n) => n.metadata?.name ?? '');
  }

  /** One random fault or repair; returns what it did, in words. */
  async fault(): Promise<string> {
    const kind = pick(['node', 'pool', 'pods', 'deployment'] as const);
    const lab = this.lab;
    if (kind === 'node') {
      const healed = this.failed.size > 0 && (this.failed.size >= 2 || Math.random() < 0.5);
      if (healed) {
        const node = pick([...this.failed]) ?? '';
        this.failed.delete(node);
        await this.tally.run('healNode', () => this.api.actions.healNode.mutate({ lab, node }));
        return `healNode ${node}`;
      }
      const node = pick((await this.poolNodes()).filter((n) => !this.failed.has(n))) ?? '';
      if (await this.tally.run('failNode', () => this.api.actions.failNode.mutate({ lab, node })))
        this.failed.add(node);
      return `failNode ${node}`;
    }
    if (kind === 'pool') {
      const [pool, size] = pick([...this.shape.pools]) ?? ['', 1];
      const nodes = Math.max(1, size + Math.floor(Math.random() * 3) - 1);
      if (await this.scalePool(pool, nodes)) this.resizedPools.add(pool);
      return `scalePool ${pool} ${nodes}`;
    }
    if (kind === 'pods') {
      if (this.broken.size > 0 && Math.random() < 0.5) {
        const deployment = pick([...this.broken]) ?? '';
        this.broken.delete(deployment);
        await this.tally.run('healPods', () => this.api.actions.healPods.mutate({ lab, deployment }));
        return `healPods ${deployment}`;
      }
      const deployment = pick([...this.shape.replicas.keys()]) ?? '';
      const mode = pick(['crashloop', 'notready', 'failed'] as const) ?? 'crashloop';
      if (
        await this.tally.run('breakPods', () => this.api.actions.breakPods.mutate({ lab, deployment, mode }))
      )
        this.broken.add(deployment);
      return `breakPods ${deployment} ${mode}`;
    }
    const name = pick([...this.shape.replicas.keys()]) ?? '';
    const replicas = 1 + Math.floor(Math.random() * 3);
    if (
      await this.tally.run('scaleDeployment', () =>
        this.api.actions.scaleDeployment.mutate({ lab, name, replicas }),
      )
    )
      this.rescaled.add(name);
    return `scaleDeployment ${name} ${replicas}`;
  }

  /** A pool scale is a task on the server; waits for its end (at most `timeoutMs`). */
  private scalePool(pool: string, nodes: number, timeoutMs = 120_000): Promise<boolean> {
    return this.tally.run('scalePool', async () => {
      const { taskId } = await this.api.actions.scalePool.mutate({ lab: this.lab, pool, nodes });
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const task = await this.api.tasks.get.query({ id: taskId });
        if (task.state === 'done') return;
        if (task.state !== 'running')
          throw new Error(`scale of pool ${pool} to ${nodes}: task ${task.state}`);
        if (Date.now() > deadline) throw new Error(`scale of pool ${pool} to ${nodes}: still running`);
        await sleep(1_000);
      }
    });
  }

  /** Starts a random scenario (the lab put back first, as a learner would), or aborts the one running. */
  async toggleScenario(): Promise<string> {
    if (this.scenarioRunning) {
      this.scenarioRunning = false;
      await this.tally.run('scenario.abort', () => this.api.scenarios.abort.mutate({ lab: this.lab }));
      return 'scenario.abort';
    }
    await this.restore();
    const id = pick(this.scenarios) ?? 'failover';
    this.scenarioRunning = await this.tally.run(`scenario.start`, () =>
      this.api.scenarios.start.mutate({ lab: this.lab, id }),
    );
    return `scenario.start ${id}`;
  }

  /** Heals every node and pod and puts pools and Deployments back to their first size. */
  async restore(): Promise<void> {
    const lab = this.lab;
    if (this.scenarioRunning) {
      this.scenarioRunning = false;
      await this.tally.run('scenario.abort', () => this.api.scenarios.abort.mutate({ lab }));
    }
    for (const node of this.failed)
      await this.tally.run('healNode', () => this.api.actions.healNode.mutate({ lab, node }));
    this.failed.clear();
    if (this.broken.size > 0)
      await this.tally.run('healPods', () => this.api.actions.healPods.mutate({ lab }));
    this.broken.clear();
    for (const pool of this.resizedPools)
      if (await this.scalePool(pool, this.shape.pools.get(pool) ?? 1)) this.resizedPools.delete(pool);
    for (const name of this.rescaled) {
      const replicas = this.shape.replicas.get(name) ?? 1;
      if (
        await this.tally.run('scaleDeployment', () =>
          this.api.actions.scaleDeployment.mutate({ lab, name, replicas }),
        )
      )
        this.rescaled.delete(name);
    }
  }
}
