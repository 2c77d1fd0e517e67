// `kubectl top` in sim labs: metrics-server (the cached v0.9.0 build) scraping the usage kwok
// simulates, checked with kubectl from PATH as the independent client, against each pod's
// requests; the server's `cluster.usage` (what the map shows) gives the same figures. Then a
// lab whose cache has no metrics-server: it starts all the same and says why it has no usage.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { V1NodeList, V1PodList } from '@kubernetes/client-node';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findSimBinaries,
  REQUIRED_SIM_BINARY_NAMES,
  simBinaryPath,
} from '../../core/backends/sim/binaries.ts';
import { labProcesses } from '../../core/backends/sim/kwokctl.ts';
import { USAGE_SHARE } from '../../core/backends/sim/metrics-server-config.ts';
import { restartExitedMetricsServer } from '../../core/backends/sim/metrics-server-restart.ts';
import { isAlive } from '../../core/exec/process-alive.ts';
import type { ClusterUsage } from '../../core/contract/usage-types.ts';
import { kubeClients } from '../../core/kube/kube-client.ts';
import { cpuMillis, memoryBytes } from '../../core/kube/quantity.ts';
import { findOnPath, pathDirs } from '../../core/exec/find-on-path.ts';
import { cacheHome } from '../../core/home/paths.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { readClusterUsage } from '../../core/server/cluster-usage.ts';
import { ownStore } from '../../core/kube/shared-watch-stores.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';

const METRICS_SERVER = simBinaryPath('metrics-server');

// cluster.usage as the server answers it: figures from the Metrics API, allocatable and requests
// from a watch store of the lab.
const usageOf = async (kubeconfig: string): Promise<ClusterUsage> => {
  const lease = ownStore(kubeconfig, { events: false });
  try {
    return await readClusterUsage(kubeClients(kubeconfig), async () => {
      await lease.start();
      return lease.store;
    });
  } finally {
    await lease.release();
  }
};
const MI = 2 ** 20;

interface TopRow {
  name: string;
  namespace?: string;
  cpuMillis: number;
  memoryBytes: number;
}

/** `kubectl top nodes|pods -A --no-headers`, parsed; throws while the Metrics API has no figures. */
const kubectlTop = async (kubeconfig: string, what: 'nodes' | 'pods'): Promise<TopRow[]> => {
  const args = what === 'nodes' ? ['top', 'nodes'] : ['top', 'pods', '-A'];
  const { stdout } = await execa('kubectl', ['--kubeconfig', kubeconfig, ...args, '--no-headers'], {
    timeout: 30_000,
  });
  return String(stdout)
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const cells = line.trim().split(/\s+/);
      // nodes: NAME CPU CPU% MEMORY MEMORY%; pods -A: NAMESPACE NAME CPU MEMORY.
      const [namespace, name, cpu, memory] =
        what === 'nodes' ? [undefined, cells[0], cells[1], cells[3]] : cells;
      return {
        name: name ?? '',
        namespace,
        cpuMillis: cpuMillis(cpu) ?? NaN,
        memoryBytes: memoryBytes(memory) ?? NaN,
      };
    });
};

interface PodRequests {
  key: string;
  node: string;
  cpuMillis: number;
  memoryBytes: number;
}

const podRequests = async (kubeconfig: string): Promise<PodRequests[]> =>
  (await kubectlJson<V1PodList>(kubeconfig, ['get', 'pods', '-A'])).items
    .filter((p) => p.status?.phase === 'Running')
    .map((p) => {
      const containers = p.spec?.containers ?? [];
      return {
        key: `${p.metadata?.namespace}/${p.metadata?.name}`,
        node: p.spec?.nodeName ?? '',
        // Every shop container requests both (a test below holds that); sum them per pod.
        cpuMillis: containers.reduce((s, c) => s + (cpuMillis(c.resources?.requests?.cpu) ?? 0), 0),
        memoryBytes: containers.reduce((s, c) => s + (memoryBytes(c.resources?.requests?.memory) ?? 0), 0),
      };
    });

/**
 * The range a CPU figure must fall in: the share of the request, widened by 10 % and 1m because
 * metrics-server divides kwok's counter by the time between two scrapes, and kwok advances the
 * counter when it serves it (not exactly at the scrape), and kubectl rounds to millicores.
 */
const cpuRange = (requestMillis: number): [number, number] => [
  Math.floor(requestMillis * USAGE_SHARE.cpu.min * 0.9) - 1,
  Math.ceil(requestMillis * USAGE_SHARE.cpu.max * 1.1) + 1,
];

/** Memory is steady; kubectl prints whole Mi, rounded down. */
const memoryRange = (requestBytes: number): [number, number] => [
  requestBytes * USAGE_SHARE.memory.min - MI,
  requestBytes * USAGE_SHARE.memory.max + MI,
];

const within = (value: number, [low, high]: [number, number]) => value >= low && value <= high;

// One KARTSTREAM_HOME for both labs of this file.
const temp = useTempHome();
afterAll(() => temp.cleanup());

describe.skipIf(!existsSync(METRICS_SERVER))(
  `kubectl top in a sim lab (needs ${METRICS_SERVER}: npx kartstream sim install builds it with Go)`,
  () => {
    const NAME = 'it-metrics';
    let kubeconfig: string;
    let nodes: string[];
    let shopPods: PodRequests[];

    beforeAll(async () => {
      const up = await cli(['up', '--backend', 'sim', '--name', NAME, '--no-monitoring']);
      expect(up.exitCode, up.stderr + up.stdout).toBe(0);
      kubeconfig = (await labContext(await requireLabRecord(NAME))).kubeconfigPath;
      nodes = (await kubectlJson<V1NodeList>(kubeconfig, ['get', 'nodes'])).items.map(
        (n) => n.metadata?.name ?? '',
      );
      shopPods = (await podRequests(kubeconfig)).filter((p) => p.key.startsWith('shop/'));
      expect(shopPods).toHaveLength(12); // with the loadgenerator
    });

    afterAll(async () => {
      await cli(['down', '--name', NAME]);
    });

    it('gives every shop container a CPU and a memory request (the usage is a share of them)', () => {
      for (const pod of shopPods) {
        expect(pod.cpuMillis, pod.key).toBeGreaterThan(0);
        expect(pod.memoryBytes, pod.key).toBeGreaterThan(0);
      }
    });

    it('kubectl top pods -A: every shop pod at 30–50 % of its CPU request and 60 % of its memory request', async () => {
      // metrics-server needs two scrapes (15 s apart) of a pod before it has a CPU rate.
      const rows = await waitFor(
        'kubectl top pods -A to list all 12 shop pods',
        () => kubectlTop(kubeconfig, 'pods'),
        (r) => shopPods.every((p) => r.some((row) => `${row.namespace}/${row.name}` === p.key)),
        150_000,
        { intervalMs: 3_000 },
      );
      for (const pod of shopPods) {
        const row = rows.find((r) => `${r.namespace}/${r.name}` === pod.key);
        const cpu = cpuRange(pod.cpuMillis);
        const memory = memoryRange(pod.memoryBytes);
        expect(
          within(row?.cpuMillis ?? NaN, cpu),
          `${pod.key}: CPU ${row?.cpuMillis}m, want ${cpu.join('–')}m (request ${pod.cpuMillis}m)`,
        ).toBe(true);
        expect(
          within(row?.memoryBytes ?? NaN, memory),
          `${pod.key}: memory ${row?.memoryBytes} B, want ${memory.join('–')} B (request ${pod.memoryBytes} B)`,
        ).toBe(true);
      }
    });

    it("kubectl top nodes: a node's figures are the sum of its pods'; a node without pods has none", async () => {
      const pods = await podRequests(kubeconfig);
      const busy = nodes.filter((node) => pods.some((p) => p.node === node));
      // The shop's pools: two frontend nodes share one frontend pod, the monitoring node is empty.
      expect(busy.length).toBeGreaterThanOrEqual(4);
      const rows = await waitFor(
        'kubectl top nodes to give figures for every node with pods',
        () => kubectlTop(kubeconfig, 'nodes'),
        (r) => busy.every((n) => r.some((row) => row.name === n && row.cpuMillis > 0)),
        90_000,
        { intervalMs: 3_000 },
      );
      for (const node of busy) {
        const row = rows.find((r) => r.name === node);
        const on = pods.filter((p) => p.node === node);
        const sum = (pick: (p: PodRequests) => number) => on.reduce((s, p) => s + pick(p), 0);
        const cpu = cpuRange(sum((p) => p.cpuMillis));
        expect(
          within(row?.cpuMillis ?? NaN, cpu),
          `${node}: CPU ${row?.cpuMillis}m, want ${cpu.join('–')}m for ${on.length} pods`,
        ).toBe(true);
        const memory = memoryRange(sum((p) => p.memoryBytes));
        expect(
          within(row?.memoryBytes ?? NaN, memory),
          `${node}: memory ${row?.memoryBytes} B, want ${memory.join('–')} B for ${on.length} pods`,
        ).toBe(true);
      }
      // kwok's node usage is its pods' only: an empty node has no figures (kubectl: <unknown>).
      for (const node of nodes.filter((n) => !busy.includes(n)))
        expect(rows.find((r) => r.name === node)?.cpuMillis, node).toBeNaN();
    });

    it("cluster.usage (the map's source) reads the same Metrics API: same pods and nodes, same memory", async () => {
      const usage = await usageOf(kubeconfig);
      expect(usage.available).toBe(true);
      const { nodes: nodeUsage, pods } = usage as Extract<ClusterUsage, { available: true }>;
      const running = await podRequests(kubeconfig);
      const busy = nodes.filter((node) => running.some((p) => p.node === node));
      expect(nodeUsage.map((n) => n.name).sort()).toEqual(busy.sort());
      for (const node of nodeUsage) expect(node.allocatable?.cpuMillis, node.name).toBe(2000);
      const top = await kubectlTop(kubeconfig, 'pods');
      for (const pod of shopPods) {
        const view = pods.find((p) => p.key === pod.key);
        // Requests come from the pod spec, usage from metrics.k8s.io.
        expect(view?.requests, pod.key).toEqual({ cpuMillis: pod.cpuMillis, memoryBytes: pod.memoryBytes });
        const row = top.find((r) => `${r.namespace}/${r.name}` === pod.key);
        // kubectl prints whole Mi; memory does not move between the two reads.
        expect(Math.floor((view?.usage.memoryBytes ?? 0) / MI), pod.key).toBe((row?.memoryBytes ?? 0) / MI);
        expect(within(view?.usage.cpuMillis ?? NaN, cpuRange(pod.cpuMillis)), pod.key).toBe(true);
      }
    });

    it('starts metrics-server again when it has exited (as `up` does), and kubectl top answers again', async () => {
      const lab = await labContext(await requireLabRecord(NAME));
      const kwokctlBinary = (await findSimBinaries()).found.kwokctl!.path;
      const before = (await labProcesses(lab)).find((p) => p.component === 'metrics-server');
      expect(before && isAlive(before.pid), 'metrics-server running').toBe(true);
      const log: string[] = [];
      expect(await restartExitedMetricsServer(lab, kwokctlBinary, (l) => log.push(l))).toBe(false);

      process.kill(before!.pid, 'SIGKILL');
      await waitFor(
        'metrics-server to be gone',
        async () => isAlive(before!.pid),
        (alive) => !alive,
        10_000,
      );
      expect(await restartExitedMetricsServer(lab, kwokctlBinary, (l) => log.push(l))).toBe(true);
      expect(log.join('\n')).toMatch(
        /metrics-server \(pid \d+\) has exited; starting it again \(its log: .*metrics-server\.log\)/,
      );
      const after = (await labProcesses(lab)).find((p) => p.component === 'metrics-server');
      expect(after?.pid).not.toBe(before!.pid);
      expect(isAlive(after!.pid)).toBe(true);
      await waitFor(
        'kubectl top nodes to answer again',
        () => kubectlTop(kubeconfig, 'nodes'),
        (rows) => rows.some((row) => row.cpuMillis > 0),
        90_000,
        { intervalMs: 3_000 },
      );
    });

    it('says why there are no figures once the Metrics API is gone, and kubectl top fails too', async () => {
      await execa('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'apiservice', 'v1beta1.metrics.k8s.io']);
      const usage = await waitFor(
        'cluster.usage to report no Metrics API',
        () => usageOf(kubeconfig),
        (u) => !u.available && /no Metrics API/.test(u.reason),
        30_000,
      );
      expect(usage).toMatchObject({
        available: false,
        fix: expect.stringContaining('kartstream sim install'),
      });
      const top = await execa('kubectl', ['--kubeconfig', kubeconfig, 'top', 'nodes'], { reject: false });
      expect(top.exitCode).not.toBe(0);
      expect(String(top.stderr)).toMatch(/Metrics API not available/);
    });
  },
);

describe('a sim lab without metrics-server installed', () => {
  const NAME = 'it-no-metrics';
  let cache: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // A cache holding every required binary (links to the real ones) but not metrics-server.
    // And no Go on PATH: `up` installs what is missing first, and would build metrics-server.
    cache = await mkdtemp(join(tmpdir(), 'kartstream-cache-'));
    const path: string[] = [];
    for (const dir of pathDirs()) if (!(await findOnPath('go', dir))) path.push(dir);
    env = { KARTSTREAM_CACHE: cache, PATH: path.join(':') };
    for (const name of REQUIRED_SIM_BINARY_NAMES) {
      const real = simBinaryPath(name);
      const link = join(cache, relative(cacheHome(), real));
      await mkdir(dirname(link), { recursive: true });
      await symlink(real, link);
    }
  });

  afterAll(async () => {
    await cli(['down', '--name', NAME], env);
    await rm(cache, { recursive: true, force: true });
  });

  it('starts and runs the shop, and says in its log that it has no Metrics API and how to get one', async () => {
    const up = await cli(['up', '--backend', 'sim', '--name', NAME, '--no-monitoring', '--verbose'], env);
    expect(up.exitCode, up.stderr + up.stdout).toBe(0);
    expect(up.stdout + up.stderr).toMatch(/skipped metrics-server: building it needs Go ≥ 1\.26/);
    expect(existsSync(join(cache, relative(cacheHome(), METRICS_SERVER)))).toBe(false);
    expect(up.stdout + up.stderr).toMatch(
      /metrics-server is not installed: this lab has no Metrics API \(no kubectl top, no usage on the map\); npx kartstream sim install builds it/,
    );
    const status = JSON.parse((await cli(['status', '--name', NAME, '-o', 'json'], env)).stdout) as {
      ready: boolean;
    };
    expect(status.ready).toBe(true);
  });

  it('answers cluster.usage with the reason and the fix, and kubectl top fails the same way', async () => {
    const kubeconfig = (await labContext(await requireLabRecord(NAME))).kubeconfigPath;
    expect(await usageOf(kubeconfig)).toEqual({
      available: false,
      reason: 'this cluster has no Metrics API (metrics.k8s.io): metrics-server is not installed',
      fix: expect.stringContaining('npx kartstream sim install builds metrics-server'),
    });
    const top = await execa('kubectl', ['--kubeconfig', kubeconfig, 'top', 'pods', '-A'], { reject: false });
    expect(String(top.stderr)).toMatch(/Metrics API not available/);
  });

  it('doctor says what is missing: kubectl top and usage on the map', async () => {
    const doctor = await cli(['doctor'], env);
    expect(doctor.exitCode, doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/kubectl top or usage on the map: metrics-server is not installed/);
  });
});
