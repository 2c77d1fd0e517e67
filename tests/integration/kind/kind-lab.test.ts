// Docker-gated: a real kind lab made by `kartstream up --backend kind`, used and removed as a
// learner would. Where no Docker engine answers, every test here is reported as skipped with the
// engine's own problem in its name; nothing is faked. How to run them: docs/kind.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindBackend } from '../../../core/backends/kind/backend.ts';
import { dockerClient, probeEngine } from '../../../core/backends/kind/engine-client.ts';
import { listLabContainers } from '../../../core/backends/kind/containers.ts';
import { poolNodeNames } from '../../../core/backends/kind/nodes.ts';
import { shopUrl } from '../../../core/backends/kind/provision.ts';
import { engineDownFinding } from '../../../core/backends/kind/preflight-rules.ts';
import type { LabContext } from '../../../core/backends/cluster-backend.ts';
import { kubeClients } from '../../../core/kube/kube-client.ts';
import { loadDashboards } from '../../../core/monitoring/dashboard-model.ts';
import { createServices } from '../../../core/server/services/index.ts';
import { labContext, requireLabRecord } from '../../../core/lab/lab-record.ts';
import { isNodeReady } from '../../../core/kube/readiness.ts';
import type { TaskReporter } from '../../../core/tasks/task.ts';
import { waitFor } from '../../helpers/wait.ts';
import { cli, useTempHome } from '../helpers/lab-env.ts';

const NAME = 'it-kind';
const probe = await probeEngine();
const engine = probe.ok;
const gate = probe.ok ? '' : `[needs a Docker engine: ${engineDownFinding(probe).message}] `;

const task: TaskReporter = {
  step: () => undefined,
  progress: () => undefined,
  log: () => undefined,
  signal: new AbortController().signal,
  logPath: '',
};
const nodeReady = async (lab: LabContext, name: string) =>
  isNodeReady(await kubeClients(lab.kubeconfigPath).core.readNode({ name }));
// A kind node's state changes with its kubelet's heartbeat: re-read every 2 s.
const every2s = { intervalMs: 2_000 };

describe.skipIf(!engine)('a kind lab made by `kartstream up --backend kind`', () => {
  let temp: ReturnType<typeof useTempHome>;
  const backend = kindBackend();
  let lab: LabContext;

  beforeAll(async () => {
    temp = useTempHome();
    const up = await cli(['up', '--backend', 'kind', '--name', NAME]);
    expect(up.stderr + up.stdout).not.toMatch(/^error:/m);
    expect(up.exitCode).toBe(0);
    lab = await labContext(await requireLabRecord(NAME));
  }, 1_800_000);

  afterAll(async () => {
    await cli(['down', '--name', NAME]);
    temp?.cleanup();
  }, 600_000);

  it(`${gate}creates the lab: every node of every pool Ready, every workload available`, async () => {
    const status = JSON.parse((await cli(['status', '--name', NAME, '-o', 'json'])).stdout) as {
      ready: boolean;
      nodes: { name: string; ready: boolean }[];
    };
    expect(status.ready).toBe(true);
    expect(status.nodes).toHaveLength(7);
    expect(status.nodes.every((n) => n.ready)).toBe(true);
  });

  it(`${gate}the shop answers over HTTP on the mapped port`, async () => {
    const response = await fetch(shopUrl(lab.topology));
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/Online Boutique/i);
  });

  it(`${gate}Open Grafana: the server forwards the lab's Grafana, which serves every dashboard file`, async () => {
    const { services, close } = createServices({ defaultLab: NAME, desktop: false });
    try {
      const { url } = await services.grafana.open(NAME);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The UI shows the URL from the lab's info.
      expect((await services.labs.info(NAME)).grafanaUrl).toBe(url);
      expect((await services.grafana.open(NAME)).url).toBe(url);
      for (const file of await loadDashboards()) {
        // Grafana provisions the files at start-up: wait for each to be served under its uid.
        const served = await waitFor(
          `Grafana to serve dashboard ${file.uid}`,
          () => fetch(`${url}/api/dashboards/uid/${file.uid}`).catch(() => undefined),
          (r) => r?.status === 200,
          120_000,
          every2s,
        );
        const { dashboard } = (await served?.json()) as {
          dashboard: { title: string; panels: { id: number; type: string }[] };
        };
        expect(dashboard.title).toBe(file.title);
        expect(dashboard.panels.map((p) => [p.id, p.type])).toEqual(file.panels.map((p) => [p.id, p.type]));
        // The page the Open Grafana action opens, for an anonymous viewer.
        expect((await fetch(`${url}/d/${file.uid}`)).status).toBe(200);
      }
    } finally {
      await close();
    }
  });

  it(`${gate}failNode pauses a worker (NotReady), healNode brings it back Ready`, async () => {
    const [node] = poolNodeNames(lab.topology, lab.name, 'backend');
    await backend.failNode(lab, node as string);
    await waitFor(
      `${node} NotReady`,
      () => nodeReady(lab, node as string),
      (ready) => !ready,
      180_000,
      every2s,
    );
    await backend.healNode(lab, node as string);
    await waitFor(
      `${node} Ready`,
      () => nodeReady(lab, node as string),
      (ready) => ready,
      180_000,
      every2s,
    );
  }, 400_000);

  it(`${gate}scalePool to 0 and back, and refuses growth past the created size`, async () => {
    await backend.scalePool(lab, 'frontend', 0, task);
    const containers = await listLabContainers(dockerClient(), lab.name);
    for (const node of poolNodeNames(lab.topology, lab.name, 'frontend'))
      expect(containers.find((c) => c.name === node)?.state).toBe('paused');
    await backend.scalePool(lab, 'frontend', 2, task);
    await expect(backend.scalePool(lab, 'frontend', 3, task)).rejects.toThrow(/cannot grow pool frontend/);
  }, 600_000);

  it(`${gate}breakPods crashloop and healPods on cartservice`, async () => {
    expect(await backend.breakPods(lab, 'shop', 'app=cartservice', 'crashloop')).toBeGreaterThan(0);
    const clients = kubeClients(lab.kubeconfigPath);
    await waitFor(
      'cartservice CrashLoopBackOff',
      async () =>
        (
          await clients.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cartservice' })
        ).items.some((p) =>
          p.status?.containerStatuses?.some(
            (c) => c.state?.waiting?.reason === 'CrashLoopBackOff' || c.lastState?.terminated,
          ),
        ),
      (crashing) => crashing,
      180_000,
      every2s,
    );
    expect(await backend.healPods(lab, 'shop', 'app=cartservice')).toBeGreaterThan(0);
  }, 400_000);

  it(`${gate}the failover scenario passes with --auto-solve`, async () => {
    const run = await cli(['scenario', 'run', 'failover', '--name', NAME, '--auto-solve', '-o', 'json']);
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.stdout) as { passed: boolean }).passed).toBe(true);
  }, 1_200_000);

  // Monitoring is reached as on every backend: port-forwards to the in-cluster Services.
  it(`${gate}query and alerts reach the in-cluster Prometheus and Alertmanager`, async () => {
    const query = await cli(['query', 'up{job="kube-state-metrics"}', '--name', NAME, '-o', 'json']);
    expect(query.exitCode).toBe(0);
    expect((JSON.parse(query.stdout) as { result: unknown[] }).result.length).toBeGreaterThan(0);
    const alerts = await cli(['alerts', '--name', NAME, '-o', 'json']);
    expect(alerts.exitCode).toBe(0);
    expect(Array.isArray(JSON.parse(alerts.stdout))).toBe(true);
  }, 120_000);

  it(`${gate}the alerting scenario passes with --auto-solve (its rule added to the in-cluster ConfigMap)`, async () => {
    const run = await cli(['scenario', 'run', 'alerting', '--name', NAME, '--auto-solve', '-o', 'json']);
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.stdout) as { passed: boolean }).passed).toBe(true);
    const rules = await kubeClients(lab.kubeconfigPath).core.listNamespacedConfigMap({
      namespace: 'monitoring',
      labelSelector: 'app.kubernetes.io/name=prometheus',
    });
    const keys = rules.items.flatMap((c) => Object.keys(c.data ?? {}));
    expect(keys).toContain('learner-fast-cart.yaml');
  }, 1_500_000);

  it(`${gate}down removes the cluster and leaves no container with the lab's kind label`, async () => {
    expect((await cli(['down', '--name', NAME])).exitCode).toBe(0);
    expect(await listLabContainers(dockerClient(), NAME)).toEqual([]);
    expect((await cli(['down', '--name', NAME])).exitCode).toBe(0);
  }, 600_000);
});
