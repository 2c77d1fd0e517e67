// One real sim lab, created with `kartstream up` as a user would, then exercised through the
// engine and checked through the API and, independently, with kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync, statSync } from 'node:fs';
import { execa } from 'execa';
import type { V1Deployment, V1Node, V1PodList, V1NodeList, CoreV1EventList } from '@kubernetes/client-node';
import { simBackend } from '../../core/backends/sim/backend.ts';
import { kubeClients } from '../../core/kube/kube-client.ts';
import { WatchStore } from '../../core/kube/watch-store.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { labPids, labProcesses } from '../../core/backends/sim/kwokctl.ts';
import { isDeploymentAvailable, isPodReady } from '../../core/kube/readiness.ts';
import type { LabContext } from '../../core/backends/cluster-backend.ts';
import type { TaskReporter } from '../../core/tasks/task.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';

const NAME = 'it-lab';
const POOL_OF: Record<string, string> = {
  frontend: 'frontend',
  loadgenerator: 'frontend',
  'redis-cart': 'database',
};
const expectedPool = (workload: string) => POOL_OF[workload] ?? 'backend';

const silentTask: TaskReporter = {
  step: () => {},
  progress: () => {},
  log: () => {},
  signal: new AbortController().signal,
  logPath: '',
};

describe('a sim lab made by `kartstream up`', () => {
  const temp = useTempHome();
  let lab: LabContext;
  let store: WatchStore;
  const backend = simBackend();

  beforeAll(async () => {
    const up = await cli(['up', '--backend', 'sim', '--name', NAME]);
    expect(up.stderr + up.stdout).not.toMatch(/^error:/m);
    expect(up.exitCode).toBe(0);
    lab = await labContext(await requireLabRecord(NAME));
    store = new WatchStore(kubeClients(lab.kubeconfigPath));
    await store.start();
  });

  afterAll(async () => {
    await store?.stop();
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('reports every workload available on its pool in `status -o json`', async () => {
    const status = await cli(['status', '--name', NAME, '-o', 'json']);
    expect(status.exitCode).toBe(0);
    const snapshot = JSON.parse(status.stdout) as {
      ready: boolean;
      workloads: { name: string; pool: string; ready: boolean }[];
    };
    expect(snapshot.ready).toBe(true);
    expect(snapshot.workloads).toHaveLength(12); // the ten services, redis-cart and the loadgenerator
    for (const w of snapshot.workloads)
      expect([w.name, w.pool, w.ready]).toEqual([w.name, expectedPool(w.name), true]);
  });

  it('places every pod on a node of its pool, as kubectl sees it', async () => {
    const nodes = await kubectlJson<V1NodeList>(lab.kubeconfigPath, ['get', 'nodes']);
    const poolOfNode = new Map(nodes.items.map((n) => [n.metadata?.name, n.metadata?.labels?.pool]));
    expect(nodes.items).toHaveLength(6);
    const pods = await kubectlJson<V1PodList>(lab.kubeconfigPath, ['get', 'pods']);
    expect(pods.items).toHaveLength(12);
    for (const pod of pods.items) {
      const app = pod.metadata?.labels?.app ?? '';
      expect(`${app} on ${poolOfNode.get(pod.spec?.nodeName)}`).toBe(`${app} on ${expectedPool(app)}`);
    }
  });

  it("writes a private kubeconfig whose context defaults to the shop's namespace", async () => {
    const path = (await cli(['kubeconfig', '--name', NAME])).stdout.trim();
    expect(path).toBe(lab.kubeconfigPath);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const config = parse(readFileSync(path, 'utf8')) as { contexts: { context: { namespace: string } }[] };
    expect(config.contexts[0]?.context.namespace).toBe('shop');
    // No namespace flag: plain kubectl lists the shop.
    const result = await execa('kubectl', ['--kubeconfig', path, 'get', 'deploy', '-o', 'name']);
    expect(String(result.stdout).split('\n')).toContain('deployment.apps/cartservice');
  });

  it('binds every control-plane process to loopback only', async () => {
    const pids = await labPids(lab);
    expect(pids.length).toBeGreaterThanOrEqual(5);
    const sockets = String((await execa('ss', ['-ltnpH'])).stdout)
      .split('\n')
      .filter((line) => pids.some((pid) => line.includes(`pid=${pid},`)));
    expect(sockets.length).toBeGreaterThanOrEqual(5);
    for (const line of sockets) expect(line).toMatch(/\s127\.0\.0\.1:\d+\s/);
  });

  it('leaves a Deployment without the pool toleration Pending, and status names the untolerated taint', async () => {
    const { apps } = kubeClients(lab.kubeconfigPath);
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: {
        metadata: { name: 'no-toleration' },
        spec: {
          selector: { matchLabels: { app: 'no-toleration' } },
          template: {
            metadata: { labels: { app: 'no-toleration' } },
            spec: { nodeSelector: { pool: 'backend' }, containers: [{ name: 'c', image: 'busybox:1.38.0' }] },
          },
        },
      },
    });
    try {
      await store.waitFor(
        'a FailedScheduling event for no-toleration',
        () =>
          store
            .events('shop')
            .some(
              (e) => e.reason === 'FailedScheduling' && e.involvedObject?.name?.startsWith('no-toleration'),
            )
            ? true
            : 'no event yet',
        { timeoutMs: 30_000 },
      );
      const events = await kubectlJson<CoreV1EventList>(lab.kubeconfigPath, [
        'get',
        'events',
        '--field-selector',
        'reason=FailedScheduling',
      ]);
      const message =
        events.items.find((e) => e.involvedObject?.name?.startsWith('no-toleration'))?.message ?? '';
      expect(message).toMatch(/untolerated taint/);
      const pods = await kubectlJson<V1PodList>(lab.kubeconfigPath, [
        'get',
        'pods',
        '-l',
        'app=no-toleration',
      ]);
      expect(pods.items.map((p) => p.status?.phase)).toEqual(['Pending']);

      const status = JSON.parse((await cli(['status', '--name', NAME, '-o', 'json'])).stdout) as {
        ready: boolean;
        pods: { workload: string; node: string; unschedulable?: string[] }[];
      };
      const pending = status.pods.find((p) => p.workload === 'no-toleration');
      expect(pending?.node).toBe('');
      expect(pending?.unschedulable).toContain(
        '2 node(s) of pool backend have the taint pool=backend:NoSchedule, which the pod does not tolerate',
      );
      expect(status.ready).toBe(false);
    } finally {
      await apps.deleteNamespacedDeployment({ name: 'no-toleration', namespace: 'shop' });
    }
  });

  it('moves the pods of a failed backend node to the other backend node within the lab timers', async () => {
    const onNode = (node: string) =>
      store.pods('shop').filter((p) => p.spec?.nodeName === node && !p.metadata?.deletionTimestamp);
    const victim = onNode('backend-1').length > 0 ? 'backend-1' : 'backend-2';
    const survivor = victim === 'backend-1' ? 'backend-2' : 'backend-1';
    const moving = onNode(victim).map((p) => p.metadata?.labels?.app);
    expect(moving.length).toBeGreaterThan(0);
    const started = Date.now();
    await backend.failNode(lab, victim);
    await store.waitFor(
      `the pods of ${victim} to run on ${survivor}`,
      () => {
        const left = onNode(victim).length;
        const ready = new Set(
          onNode(survivor)
            .filter(isPodReady)
            .map((p) => p.metadata?.labels?.app),
        );
        const waiting = moving.filter((app) => !ready.has(app));
        return left === 0 && waiting.length === 0
          ? true
          : `${left} pods still on ${victim}; not yet Ready on ${survivor}: ${waiting.join(', ')}`;
      },
      { timeoutMs: 90_000 },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(90);
    const node = store.nodes().find((n: V1Node) => n.metadata?.name === victim);
    expect(node?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    for (const app of moving) expect(onNode(survivor).map((p) => p.metadata?.labels?.app)).toContain(app);

    await backend.healNode(lab, victim);
    await store.waitFor(
      `${victim} Ready again`,
      () =>
        store
          .nodes()
          .find((n) => n.metadata?.name === victim)
          ?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
          ? true
          : 'not yet',
      { timeoutMs: 30_000 },
    );
  });

  it('leaves redis-cart Pending when the database pool goes to zero, and brings it back when the pool returns', async () => {
    const redisPods = () =>
      store
        .pods('shop')
        .filter((p) => p.metadata?.labels?.app === 'redis-cart' && !p.metadata?.deletionTimestamp);
    await backend.scalePool(lab, 'database', 0, silentTask);
    // The Pending pod and the Deployment's status are two watch events; wait for both.
    await store.waitFor(
      'redis-cart Pending and its Deployment unavailable',
      () => {
        const pods = redisPods();
        const redis = store.deployments('shop').find((d) => d.metadata?.name === 'redis-cart');
        return pods.length === 1 &&
          pods[0]?.status?.phase === 'Pending' &&
          !pods[0].spec?.nodeName &&
          redis !== undefined &&
          !isDeploymentAvailable(redis)
          ? true
          : `pods: ${pods.map((p) => p.status?.phase)}; available: ${redis ? isDeploymentAvailable(redis) : 'no deployment'}`;
      },
      { timeoutMs: 60_000 },
    );

    await backend.scalePool(lab, 'database', 1, silentTask);
    await store.waitFor(
      'redis-cart available on database-1',
      () => {
        const d = store.deployments('shop').find((x) => x.metadata?.name === 'redis-cart');
        return d && isDeploymentAvailable(d) && redisPods()[0]?.spec?.nodeName === 'database-1'
          ? true
          : 'not yet';
      },
      { timeoutMs: 60_000 },
    );
  });

  it('breaks pods into CrashLoopBackOff and heals them with fresh pods', async () => {
    const count = await backend.breakPods(lab, 'shop', 'app=cartservice', 'crashloop');
    expect(count).toBe(1);
    await store.waitFor(
      'cartservice in CrashLoopBackOff',
      () =>
        store
          .pods('shop')
          .some(
            (p) =>
              p.metadata?.labels?.app === 'cartservice' &&
              p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
          )
          ? true
          : 'not yet',
      { timeoutMs: 40_000 },
    );
    const cart = () => store.deployments('shop').find((d) => d.metadata?.name === 'cartservice');
    await store.waitFor(
      'cartservice unavailable',
      () => ((cart()?.status?.availableReplicas ?? 0) === 0 ? true : 'still available'),
      {
        timeoutMs: 20_000,
      },
    );
    expect(await backend.healPods(lab, 'shop', 'app=cartservice')).toBe(1);
    await store.waitFor(
      'cartservice available again',
      () => (isDeploymentAvailable(cart()!) ? true : 'not yet'),
      { timeoutMs: 40_000 },
    );
  });

  it('`kartstream reset` returns only when the shop is back to its replicas, not while a scale-down is under way', async () => {
    const kubectl = (...args: string[]) =>
      execa('kubectl', ['--kubeconfig', lab.kubeconfigPath, '-n', 'shop', ...args]);
    await kubectl('scale', 'deployment/cartservice', '--replicas=3');
    const cart = () => store.deployments('shop').find((d) => d.metadata?.name === 'cartservice');
    const until = (what: string, holds: () => boolean) =>
      store.waitFor(what, () => holds() || 'not yet', { timeoutMs: 60_000 });
    await until('three cartservice replicas', () => cart()?.status?.availableReplicas === 3);
    // The controller manager paused while reset scales back: the scale-down cannot happen until it
    // resumes, so a reset that did not wait for it would return with three pods still counted.
    const controller = (await labProcesses(lab)).find((p) => p.component === 'kube-controller-manager');
    expect(controller, 'the lab has a kube-controller-manager process').toBeDefined();
    process.kill(controller!.pid, 'SIGSTOP');
    let resetEnded = false;
    const reset = cli(['reset', '--name', NAME]).finally(() => (resetEnded = true));
    try {
      await until('reset to scale cartservice back', () => cart()?.spec?.replicas === 1);
      // what is left of reset after the scale takes well under a second here; give it five
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(resetEnded, 'reset returned while the scale-down could not have happened').toBe(false);
    } finally {
      process.kill(controller!.pid, 'SIGCONT');
    }
    const done = await reset;
    expect(done.exitCode, done.stderr).toBe(0);
    // read at once, by an independent client: no surplus pod still counted
    const { spec, status } = JSON.parse(
      String((await kubectl('get', 'deploy/cartservice', '-o', 'json')).stdout),
    ) as V1Deployment;
    expect([spec?.replicas, status?.replicas, status?.availableReplicas]).toEqual([1, 1, 1]);
  });
});
