// Labs, tasks, the live cluster view and free-play actions through the real core server: a tRPC
// client over loopback HTTP and WebSocket, as the renderer talks to it, against one real sim lab.
// kubectl from PATH is the independent client that confirms what the stream says.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, httpLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import { execa } from 'execa';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../core/contract/router.ts';
import type {
  ClusterMessage,
  NodeView,
  PodView,
  PoolView,
  TaskUpdate,
  WireError,
  WorkloadView,
} from '../../core/contract/wire-types.ts';
import { startCoreServer, type CoreServer } from '../../core/server/http-server.ts';
import { createServices, type CreatedServices } from '../../core/server/services/index.ts';
import { present, waitFor, wakeup } from '../helpers/wait.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';

const NAME = 'srv-api';
const SHOP_WORKLOADS = 12; // the ten services, redis-cart and the sim shop's loadgenerator

let created: CreatedServices;
let server: CoreServer;
let wsClient: ReturnType<typeof createWSClient>;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;
let rendererDir = '';
let kubeconfig = '';

// The typed error of a call that must fail.
const failure = async (call: Promise<unknown>): Promise<WireError> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(TRPCClientError);
  const wire = ((error as TRPCClientError<AppRouter>).data as { wire?: WireError } | undefined)?.wire;
  expect(wire, `a typed error, got ${String(error)}`).toBeDefined();
  return wire as WireError;
};

// Waits until `check` gives a value (not undefined or false), re-checking at once whenever the
// stream's `wake` is called (and every second).
const waiter = () => {
  const events = wakeup();
  return {
    wakeUp: () => events.wake(),
    until: <T>(what: string, check: () => T, timeoutMs: number) =>
      waitFor(what, check, present, timeoutMs, { intervalMs: 1_000, wakeup: events }),
  };
};

// What the map holds: the last reset with every delta applied, as the renderer keeps it.
const followCluster = (lab: string) => {
  const messages: ClusterMessage[] = [];
  const view = {
    pools: [] as PoolView[],
    nodes: new Map<string, NodeView>(),
    pods: new Map<string, PodView>(),
    workloads: new Map<string, WorkloadView>(),
  };
  const errors: unknown[] = [];
  const wait = waiter();
  const subscription = api.cluster.watch.subscribe(
    { lab },
    {
      onData: (message) => {
        messages.push(message);
        if (message.type === 'reset') {
          view.pools = message.pools;
          view.nodes = new Map(message.nodes.map((n) => [n.name, n]));
          view.pods = new Map(message.pods.map((p) => [p.key, p]));
          view.workloads = new Map(message.workloads.map((w) => [w.key, w]));
        } else if (message.type === 'delta') {
          for (const n of message.nodes) view.nodes.set(n.name, n);
          for (const p of message.pods) view.pods.set(p.key, p);
          for (const w of message.workloads) view.workloads.set(w.key, w);
          for (const n of message.deletedNodes) view.nodes.delete(n);
          for (const p of message.deletedPods) view.pods.delete(p);
          for (const w of message.deletedWorkloads) view.workloads.delete(w);
        }
        wait.wakeUp();
      },
      onError: (error) => {
        errors.push(error);
        wait.wakeUp();
      },
    },
  );
  return { messages, view, errors, until: wait.until, stop: () => subscription.unsubscribe() };
};

const watchTask = (id: string) => {
  const updates: TaskUpdate[] = [];
  const wait = waiter();
  const subscription = api.tasks.watch.subscribe(
    { id },
    {
      onData: (update) => {
        updates.push(update);
        wait.wakeUp();
      },
    },
  );
  return {
    updates,
    ended: () =>
      wait
        .until('the task to end', () => updates.find((u) => u.type === 'end'), 600_000)
        .finally(() => subscription.unsubscribe()),
  };
};

const shopPods = () =>
  kubectlJson<{
    items: {
      metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
      spec: { nodeName?: string };
      status: { phase: string };
    }[];
  }>(kubeconfig, ['get', 'pods', '-n', 'shop']);

const kubectlNodeReady = async (name: string): Promise<boolean> => {
  const node = await kubectlJson<{ status: { conditions: { type: string; status: string }[] } }>(kubeconfig, [
    'get',
    'node',
    name,
  ]);
  return node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
};

describe('labs, tasks, cluster view and actions through the core server', () => {
  const temp = useTempHome();

  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'kartstream-renderer-'));
    created = createServices({ defaultLab: NAME, desktop: false });
    server = await startCoreServer({ services: created.services, rendererDir });
    const base = `127.0.0.1:${server.port}/t/${server.token}`;
    wsClient = createWSClient({
      url: `ws://${base}/ws`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    api = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: wsLink({ client: wsClient }),
          false: httpLink({ url: `http://${base}/trpc` }),
        }),
      ],
    });
  });

  afterAll(async () => {
    await wsClient?.close();
    await server?.close();
    await created?.close();
    // Whatever the tests did, no lab is left running.
    await cli(['down', '--name', NAME]);
    temp.cleanup();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  it('refuses bad input with typed errors that name the thing', async () => {
    const invalid = await failure(api.labs.create.mutate({ name: 'Bad_Name', monitoring: false }));
    expect(invalid.code).toBe('invalid-input');
    expect(invalid.fields?.map((f) => f.path)).toEqual(['name']);

    const unknown = await failure(api.labs.info.query({ lab: 'no-such-lab' }));
    expect(unknown).toMatchObject({ code: 'not-found' });
    expect(unknown.message).toContain('no-such-lab');
    expect(unknown.fix).toContain('npx kartstream up --name no-such-lab');

    // A stream of a lab that does not exist ends with the same typed error.
    const follower = followCluster('no-such-lab');
    await follower.until('the watch to fail', () => follower.errors[0], 10_000);
    follower.stop();
    const wire = ((follower.errors[0] as TRPCClientError<AppRouter>).data as { wire?: WireError }).wire;
    expect(wire).toMatchObject({ code: 'not-found' });
    expect(wire?.message).toContain('no-such-lab');

    const topology = await failure(
      api.labs.create.mutate({
        name: 'bad-topo',
        topologyFile: '/nonexistent/topology.yaml',
        monitoring: false,
      }),
    );
    expect(topology.message).toContain('/nonexistent/topology.yaml');
    // Refused before anything ran: no task, no lab.
    expect((await api.tasks.list.query()).length).toBe(0);
    expect((await api.labs.list.query()).map((l) => l.name)).not.toContain('bad-topo');
  });

  it('shows the backend pick with its reason and the topology preview', async () => {
    const choice = await api.labs.backendChoice.query({ backend: 'sim' });
    expect(choice.backend).toBe('sim');
    expect(choice.reason).toMatch(/sim/);
    const auto = await api.labs.backendChoice.query({});
    expect(auto.reason.length).toBeGreaterThan(10);

    const preview = await api.labs.topology.query({});
    expect(preview.pools.map((p) => [p.name, p.taint])).toEqual([
      ['frontend', 'pool=frontend:NoSchedule'],
      ['backend', 'pool=backend:NoSchedule'],
      ['database', 'pool=database:NoSchedule'],
      ['monitoring', 'pool=monitoring:NoSchedule'],
    ]);
    expect(preview.totalNodes).toBe(preview.pools.reduce((n, p) => n + p.nodes, 0));
  });

  it('creates a sim lab as a task whose steps and log stream to the watcher', async () => {
    const { taskId } = await api.labs.create.mutate({ name: NAME, backend: 'sim', monitoring: false });
    const task = watchTask(taskId);
    const end = await task.ended();
    expect(end, JSON.stringify(task.updates.filter((u) => u.type === 'log').slice(-20))).toMatchObject({
      type: 'end',
      state: 'done',
    });
    expect(task.updates[0]?.type).toBe('snapshot');
    const steps = task.updates.flatMap((u) => (u.type === 'step' ? [u.title] : []));
    expect(steps).toContain('Deploy the shop');
    expect(steps.some((s) => s.startsWith('Start the control plane'))).toBe(true);
    expect(task.updates.some((u) => u.type === 'log' && u.line.startsWith('backend: sim'))).toBe(true);

    const detail = await api.tasks.get.query({ id: taskId });
    expect(detail).toMatchObject({
      kind: 'lab-create',
      lab: NAME,
      state: 'done',
      title: `Create lab ${NAME} (sim)`,
    });
    expect(detail.steps.every((s) => s.state === 'done')).toBe(true);
    expect(detail.log.some((l) => l.includes('backend: sim'))).toBe(true);

    const labs = await api.labs.list.query();
    expect(labs.find((l) => l.name === NAME)).toMatchObject({
      backend: 'sim',
      state: 'ready',
      monitoring: false,
    });
    const info = await api.labs.info.query({ lab: NAME });
    expect(info.apiServer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    kubeconfig = info.kubeconfigPath;

    // The same lab on another backend is refused in place, before any task starts.
    const other = await failure(api.labs.create.mutate({ name: NAME, backend: 'kind', monitoring: false }));
    expect(other).toMatchObject({ code: 'conflict' });
    expect(other.message).toContain('sim backend');
    // A finished task cannot be canceled.
    const cancel = await failure(api.tasks.cancel.mutate({ id: taskId }));
    expect(cancel.message).toContain('already ended (done)');
  });

  it('streams the map: four pools with their taints, their nodes, and the shop on its pools', async () => {
    const map = followCluster(NAME);
    try {
      const reset = await map.until('the first message', () => map.messages[0], 30_000);
      expect(reset.type).toBe('reset');
      if (reset.type !== 'reset') return;
      expect(reset.pools.map((p) => [p.name, p.taint, p.desiredNodes])).toEqual([
        ['frontend', 'pool=frontend:NoSchedule', 2],
        ['backend', 'pool=backend:NoSchedule', 2],
        ['database', 'pool=database:NoSchedule', 1],
        ['monitoring', 'pool=monitoring:NoSchedule', 1],
      ]);
      const nodes = await kubectlJson<{
        items: { metadata: { name: string; labels: Record<string, string> } }[];
      }>(kubeconfig, ['get', 'nodes']);
      expect(reset.nodes.map((n) => [n.name, n.pool]).sort()).toEqual(
        nodes.items.map((n) => [n.metadata.name, n.metadata.labels.pool]).sort(),
      );
      for (const n of reset.nodes) expect(n.taints).toContain(`pool=${n.pool}:NoSchedule`);

      expect(reset.workloads).toHaveLength(SHOP_WORKLOADS);
      const pools = new Set(reset.pools.map((p) => p.name));
      for (const w of reset.workloads) {
        expect(pools.has(w.pool), `${w.name} on pool ${w.pool}`).toBe(true);
        const pods = reset.pods.filter((p) => p.workload === w.name);
        expect(pods.length, w.name).toBeGreaterThan(0);
        for (const p of pods) expect([p.name, p.pool]).toEqual([p.name, w.pool]);
      }
      const kubectlPods = await shopPods();
      expect(reset.pods.map((p) => p.name).sort()).toEqual(
        kubectlPods.items.map((p) => p.metadata.name).sort(),
      );
      expect(reset.at).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      map.stop();
    }
  });

  it('fails a backend node: the map shows it not ready within seconds, then its pods move; heal brings it back', async () => {
    const map = followCluster(NAME);
    try {
      await map.until('the reset', () => map.messages.find((m) => m.type === 'reset'), 30_000);
      const podsOn = (node: string) => [...map.view.pods.values()].filter((p) => p.node === node);
      const victim = podsOn('backend-1').length > 0 ? 'backend-1' : 'backend-2';
      const moving = podsOn(victim).map((p) => p.workload);
      expect(moving.length).toBeGreaterThan(0);

      const started = Date.now();
      await api.actions.failNode.mutate({ lab: NAME, node: victim });
      await map.until(
        `${victim} not ready on the map`,
        () => map.view.nodes.get(victim)?.ready === false,
        30_000,
      );
      const notReadyAfter = Date.now() - started;
      expect(notReadyAfter).toBeLessThan(30_000);
      expect(await kubectlNodeReady(victim)).toBe(false);
      // The change arrived as a delta carrying just what changed, stamped with the send time.
      const delta = map.messages.find(
        (m) => m.type === 'delta' && m.nodes.some((n) => n.name === victim && !n.ready),
      );
      expect(delta?.at).toBeGreaterThanOrEqual(started);

      // The pods leave the failed node (evicted after the lab's toleration) and run elsewhere.
      await map.until(
        `the pods of ${victim} to run elsewhere`,
        () =>
          podsOn(victim).length === 0 &&
          moving.every((w) =>
            [...map.view.pods.values()].some(
              (p) => p.workload === w && p.node && p.node !== victim && p.ready,
            ),
          ),
        120_000,
      );
      const kubectlPods = await shopPods();
      const live = kubectlPods.items.filter((p) => !p.metadata.deletionTimestamp);
      expect(live.filter((p) => p.spec.nodeName === victim)).toEqual([]);
      // The map agrees with kubectl pod by pod.
      expect([...map.view.pods.values()].map((p) => `${p.name}@${p.node}`).sort()).toEqual(
        live.map((p) => `${p.metadata.name}@${p.spec.nodeName ?? ''}`).sort(),
      );

      await api.actions.healNode.mutate({ lab: NAME, node: victim });
      await map.until(`${victim} ready again`, () => map.view.nodes.get(victim)?.ready === true, 60_000);
      expect(await kubectlNodeReady(victim)).toBe(true);
    } finally {
      map.stop();
    }
  });

  it('names the nodes and workloads there are when asked for one that is not', async () => {
    const node = await failure(api.actions.failNode.mutate({ lab: NAME, node: 'backend-9' }));
    expect(node).toMatchObject({ code: 'not-found' });
    expect(node.message).toContain('backend-9');
    expect(node.details).toContain('pool backend: backend-1, backend-2');

    const workload = await failure(
      api.actions.scaleDeployment.mutate({ lab: NAME, name: 'nosuchservice', replicas: 1 }),
    );
    expect(workload.message).toContain('nosuchservice');
    expect(workload.details.join(' ')).toContain('cartservice');

    const pool = await failure(api.actions.scalePool.mutate({ lab: NAME, pool: 'gpu', nodes: 1 }));
    expect(pool).toMatchObject({ code: 'not-found' });
    expect(pool.fix).toContain('frontend, backend, database, monitoring');

    const lab = await failure(api.actions.failNode.mutate({ lab: 'no-such-lab', node: 'backend-1' }));
    expect(lab.message).toContain('no-such-lab');
  });

  it('scales cartservice to 0 and back, and a pool to 0 leaves its pods Pending with the reason', async () => {
    const map = followCluster(NAME);
    try {
      await map.until('the reset', () => map.messages.find((m) => m.type === 'reset'), 30_000);
      const cart = () => map.view.workloads.get('shop/cartservice');
      const cartPods = () => [...map.view.pods.values()].filter((p) => p.workload === 'cartservice');

      await api.actions.scaleDeployment.mutate({ lab: NAME, name: 'cartservice', replicas: 0 });
      await map.until('cartservice at 0', () => cart()?.desired === 0 && cartPods().length === 0, 60_000);
      expect((await shopPods()).items.filter((p) => p.metadata.labels?.app === 'cartservice')).toEqual([]);

      await api.actions.scaleDeployment.mutate({ lab: NAME, name: 'cartservice', replicas: 1 });
      await map.until('cartservice available again', () => cart()?.available === 1 && cart()?.ready, 60_000);

      // The database pool scaled to zero as a task: redis-cart waits in the Pending tray, saying why.
      const { taskId } = await api.actions.scalePool.mutate({ lab: NAME, pool: 'database', nodes: 0 });
      expect((await watchTask(taskId).ended()).type).toBe('end');
      expect((await api.tasks.get.query({ id: taskId })).state).toBe('done');
      const pending = await map.until(
        'redis-cart Pending',
        () =>
          [...map.view.pods.values()].find(
            (p) => p.workload === 'redis-cart' && !p.node && p.phase === 'Pending',
          ),
        60_000,
      );
      expect(pending.unschedulable?.join(' ')).toContain('pool=database');
      await map.until('database-1 gone from the map', () => !map.view.nodes.has('database-1'), 30_000);

      const back = await api.actions.scalePool.mutate({ lab: NAME, pool: 'database', nodes: 1 });
      expect((await watchTask(back.taskId).ended()).type).toBe('end');
      await map.until(
        'redis-cart running on database-1',
        () =>
          [...map.view.pods.values()].find(
            (p) => p.workload === 'redis-cart' && p.node === 'database-1' && p.ready,
          ),
        60_000,
      );
    } finally {
      map.stop();
    }
  });

  it('removes the lab as a task; the map goes offline and kubectl can no longer reach it', async () => {
    const map = followCluster(NAME);
    try {
      await map.until('the reset', () => map.messages.find((m) => m.type === 'reset'), 30_000);
      // The lab's kubeconfig goes with it; a copy shows its API is really gone.
      const copy = join(rendererDir, 'kubeconfig');
      copyFileSync(kubeconfig, copy);
      const { taskId } = await api.labs.remove.mutate({ lab: NAME });
      const end = await watchTask(taskId).ended();
      expect(end).toMatchObject({ type: 'end', state: 'done' });
      expect((await api.tasks.list.query()).find((t) => t.id === taskId)?.kind).toBe('lab-delete');
      expect((await api.labs.list.query()).map((l) => l.name)).not.toContain(NAME);

      const offline = await map.until(
        'offline',
        () => map.messages.find((m) => m.type === 'offline'),
        30_000,
      );
      expect(offline.type === 'offline' && offline.message).toContain(NAME);
      const reach = await execa('kubectl', ['--kubeconfig', copy, 'get', 'nodes', '--request-timeout=5s'], {
        reject: false,
      });
      expect(reach.exitCode).not.toBe(0);
      expect(reach.stderr).toMatch(/refused|unable to connect|was refused/i);
      const gone = await failure(api.labs.info.query({ lab: NAME }));
      expect(gone.code).toBe('not-found');
    } finally {
      map.stop();
    }
  });
});
