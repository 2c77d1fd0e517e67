// CPU and memory on the map, from the Metrics API through the server, against `kubectl top`
// (kubectl from PATH): every node card with pods shows figures, a node's details show bars
// against its allocatable, and a pod's details show its usage against its requests.
import type { Page } from 'playwright-core';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { cpuMillis, memoryBytes } from '../../../core/kube/quantity.ts';
import { waitFor } from '../../helpers/wait.ts';
import { attr, screenshot } from '../helpers/browser.ts';
import { labPods } from '../helpers/lab-check.ts';
import type { E2eSession } from '../helpers/session.ts';
import { openMap, openNode } from './cluster-map.ts';

const MI = 2 ** 20;

/** `kubectl top nodes`: name → [millicores, bytes]. */
const topNodes = async (kubeconfig: string): Promise<Map<string, [number, number]>> => {
  const { stdout } = await execa('kubectl', ['--kubeconfig', kubeconfig, 'top', 'nodes', '--no-headers']);
  return new Map(
    String(stdout)
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .map((c) => [c[0] ?? '', [cpuMillis(c[1]) ?? NaN, memoryBytes(c[3]) ?? NaN]]),
  );
};

/** `kubectl top pod NAME -n shop`: millicores. */
const topPodCpu = async (kubeconfig: string, pod: string): Promise<number> => {
  const { stdout } = await execa('kubectl', [
    '--kubeconfig',
    kubeconfig,
    '-n',
    'shop',
    'top',
    'pod',
    pod,
    '--no-headers',
  ]);
  return cpuMillis(String(stdout).trim().split(/\s+/)[1]) ?? NaN;
};

/** `kubectl top pods -n shop`: the names of the pods metrics-server has figures for. */
const topPodNames = async (kubeconfig: string): Promise<Set<string>> => {
  const { stdout } = await execa(
    'kubectl',
    ['--kubeconfig', kubeconfig, '-n', 'shop', 'top', 'pods', '--no-headers'],
    {
      reject: false,
    },
  );
  return new Set(
    String(stdout)
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean),
  );
};

const nodeFigures = async (page: Page, node: string): Promise<[number, number] | undefined> => {
  const cpu = page.getByTestId(`node-cpu-${node}`);
  if ((await cpu.count()) === 0) return undefined;
  return [
    Number(await attr(cpu, 'data-millis')),
    Number(await attr(page.getByTestId(`node-memory-${node}`), 'data-bytes')),
  ];
};

export const usageTests = (s: E2eSession): void => {
  it('shows CPU and memory per node and per pod, the figures kubectl top gives', async () => {
    const { page } = s;
    await openMap(page);
    // Running pods only: one an earlier test is replacing never gets figures.
    const pods = (await labPods(s.kubeconfig)).filter((p) => p.phase === 'Running' && !p.terminating);
    const busyNodes = [...new Set(pods.map((p) => p.node))].sort();
    expect(busyNodes.length).toBeGreaterThanOrEqual(4);

    // metrics-server has figures about half a minute after the pods run; the map asks every 10 s.
    const top = await waitFor(
      'kubectl top nodes to list the nodes with shop pods',
      () => topNodes(s.kubeconfig),
      // kubectl prints `<unknown>` for a node it has no figures for yet: wait for numbers.
      (t) => busyNodes.every((n) => (t.get(n) ?? [NaN, NaN]).every(Number.isFinite)),
      120_000,
      { intervalMs: 2_000 },
    );
    for (const node of busyNodes) {
      const shown = await waitFor(
        `node-cpu-${node} and node-memory-${node} with non-zero figures`,
        () => nodeFigures(page, node),
        (f) => f !== undefined && f[0] > 0 && f[1] > 0,
        30_000,
      );
      // Memory is steady (a fixed share of requests): the card and kubectl agree to the Mi.
      expect(Math.floor(shown![1] / MI), `${node} memory`).toBe(top.get(node)![1] / MI);
      // CPU moves between scrapes (it follows the traffic model's load): the same order of size.
      expect(shown![0], `${node} CPU`).toBeGreaterThan(top.get(node)![0] * 0.5);
      expect(shown![0], `${node} CPU`).toBeLessThan(top.get(node)![0] * 2 + 2);
      expect(await page.getByTestId(`node-cpu-${node}`).innerText()).toMatch(/^CPU \d+%$/);
    }
    expect(await page.getByTestId('usage-unavailable').count()).toBe(0);

    // A node's details: bars against its allocatable (2 cores, 4 Gi), and its pods' figures.
    const node = busyNodes.find((n) => n.startsWith('backend-')) ?? busyNodes[0]!;
    await openNode(page, node);
    const details = page.getByTestId('node-details');
    expect(await details.getByTestId(`node-detail-cpu-${node}`).innerText()).toMatch(
      /CPU\s+\d+m of 2 cores \(\d+%\)/,
    );
    expect(await details.getByTestId(`node-detail-memory-${node}`).innerText()).toMatch(
      /Memory\s+\d+ Mi of 4 Gi \(\d+%\)/,
    );
    // metrics-server lists a pod only after two scrapes of it, and the map asks every 10 s: a pod
    // an earlier test replaced may come later than the node's figures did. Wait on kubectl first.
    const nodePods = pods.filter((p) => p.node === node).map((p) => p.name);
    await waitFor(
      `kubectl top pods to list every pod on ${node}`,
      () => topPodNames(s.kubeconfig),
      (names) => nodePods.every((n) => names.has(n)),
      120_000,
      { intervalMs: 2_000 },
    );
    for (const name of nodePods) {
      const text = await waitFor(
        `node-detail-pod-usage-${name}`,
        async () => {
          const row = details.getByTestId(`node-detail-pod-usage-${name}`);
          return (await row.count()) === 0 ? '' : row.innerText();
        },
        (t) => t !== '',
        30_000,
      );
      expect(text).toMatch(/· \d+m CPU, \d+ Mi$/);
    }
    await screenshot(page, 'map-node-usage');

    // A pod's details: its usage against its own requests (frontend requests 100m and 64Mi).
    const frontend = pods.find((p) => p.app === 'frontend')!;
    await page.getByTestId(`pod-chip-${frontend.name}`).click();
    const pod = page.getByTestId('pod-details');
    await pod.getByRole('heading', { name: frontend.name, exact: true }).waitFor();
    const cpuText = await waitFor(
      `pod-detail-cpu-${frontend.name}`,
      () => pod.getByTestId(`pod-detail-cpu-${frontend.name}`).innerText(),
      (t) => /of 100m/.test(t),
      15_000,
    );
    const cpu = Number(/(\d+)m of 100m \((\d+)%\)/.exec(cpuText)?.[1]);
    // The pod's CPU follows the traffic model's load, so it moves between scrapes: the panel and
    // kubectl top give the same order of size.
    const topCpu = await topPodCpu(s.kubeconfig, frontend.name);
    expect(cpu, cpuText).toBeGreaterThan(topCpu * 0.5);
    expect(cpu, cpuText).toBeLessThan(topCpu * 2 + 2);
    // 60 % of 64 Mi.
    expect(await pod.getByTestId(`pod-detail-memory-${frontend.name}`).innerText()).toMatch(
      /38 Mi of 64 Mi \(60%\)/,
    );
    await screenshot(page, 'map-pod-usage');
  });
};
