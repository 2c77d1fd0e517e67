// Benchmark: the cluster map at 1,000 nodes and 10,000 pods while changes stream (issue #9:
// renderer frame time p95 <= 16 ms, server memory <= 400 MB, the map stays usable). A sim lab of
// bench/topology-1000-nodes.yaml, a Deployment filling it to ~10,000 pods, `kartstream serve`
// and the map in Chromium; nodes keep failing and healing and the Deployment keeps scaling while
// the page records its frame intervals (requestAnimationFrame), its long animation frames and how
// far the map lags behind the server; the server's RSS is sampled from /proc throughout. The
// baselines, in the same run and under the same churn: an idle page in the same Chromium (the
// frame floor of this machine) and the server's RSS before any page watched the lab.
// Run: npx tsx bench/ui-scale.ts [pods] [seconds]   (sim binaries cached; 5-25 minutes)
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { FAULT_LABEL } from '../core/backends/sim/pod-faults.ts';
import { kubeClients, type KubeClients } from '../core/kube/kube-client.ts';
import { serverSideApply } from '../core/kube/server-side-apply.ts';
import { SHOP_NAMESPACE } from '../core/lab/lab-record.ts';
import { measureFrames, timeClickToDetails, timeLaneScroll, type FrameReport } from './ui-page-probes.ts';
import { informerFootprint } from './ui-store-footprint.ts';
import {
  benchHome,
  cpuSeconds,
  describeMs,
  launchChromium,
  onCleanup,
  openMap,
  percentile,
  REPO,
  rssMb,
  rssParts,
  runBench,
  sleep,
  startServe,
  until,
  upLab,
} from './ui-helpers.ts';

const LAB = 'bench-scale';
const TOPOLOGY = join(REPO, 'bench/topology-1000-nodes.yaml');
const TOTAL_PODS = Number(process.argv[2] ?? 10_000);
const WINDOW_S = Number(process.argv[3] ?? 30);
const FILL = 'bench-fill';
const FILL_TIMEOUT_MS = 30 * 60_000;
const FRAME_BUDGET_MS = 16;
/** How far the fill Deployment swings every 10 s while the map is measured. */
const SWING = 500;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Asks the server (started with --heapsnapshot-signal) for a heap snapshot; its file, once written. */
const takeHeapSnapshot = async (pid: number, dir: string): Promise<string | undefined> => {
  const snapshots = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));
  const before = new Set(snapshots());
  process.kill(pid, 'SIGUSR2');
  // Node writes the snapshot in the server's own thread; a 500 MB heap takes a while.
  const file = () => snapshots().find((f) => !before.has(f));
  let size = -1;
  const written = await until(
    async () => {
      const name = file();
      if (!name) return false;
      const now = statSync(join(dir, name)).size;
      const stable = now === size && now > 0;
      size = now;
      return stable;
    },
    180_000,
    2000,
  );
  return written ? join(dir, file() ?? '') : undefined;
};

// Tolerates every pool's taint but not a failed node's: its pods are evicted and replaced.
const fillDeployment = (replicas: number): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: FILL, namespace: SHOP_NAMESPACE, labels: { app: FILL } },
  spec: {
    replicas,
    selector: { matchLabels: { app: FILL } },
    template: {
      metadata: { labels: { app: FILL } },
      spec: {
        tolerations: [{ key: 'pool', operator: 'Exists', effect: 'NoSchedule' }],
        containers: [{ name: 'fill', image: 'registry.k8s.io/pause:3.10' }],
      },
    },
  },
});

/** The server's RSS, sampled twice a second: the maximum since the last `mark`, and overall. */
const sampleRss = (pid: number) => {
  let sinceMark = 0;
  let overall = 0;
  const timer = setInterval(() => {
    const mb = rssMb(pid);
    sinceMark = Math.max(sinceMark, mb);
    overall = Math.max(overall, mb);
  }, 500);
  onCleanup('stopping the RSS sampler', async () => clearInterval(timer));
  return {
    mark: () => {
      const max = Math.max(sinceMark, rssMb(pid));
      sinceMark = 0;
      return max;
    },
    overall: () => overall,
  };
};

/**
 * Changes that keep streaming: every 2 s a random node fails (its pods are evicted after the lab's
 * 10 s toleration and replaced) and the one failed four ticks before heals; every 10 s the fill
 * Deployment swings by SWING replicas (that many pods created, then deleted). `stop` heals what is
 * still failed.
 */
const churn = (clients: KubeClients, nodes: string[], replicas: number) => {
  const failed: string[] = [];
  let tick = 0;
  let changes = 0;
  const label = (name: string, value: string | null) =>
    clients.core
      .patchNode({ name, body: { metadata: { labels: { [FAULT_LABEL]: value } } } }, mergePatch)
      .then(() => (changes += 1));
  const timer = setInterval(() => {
    tick += 1;
    const node = nodes[Math.floor(Math.random() * nodes.length)] ?? '';
    failed.push(node);
    void label(node, 'not-ready').catch(() => undefined);
    if (failed.length > 4) void label(failed.shift() ?? '', null).catch(() => undefined);
    if (tick % 5 === 0)
      void clients.apps
        .patchNamespacedDeployment(
          {
            name: FILL,
            namespace: SHOP_NAMESPACE,
            body: { spec: { replicas: tick % 10 === 0 ? replicas : replicas + SWING } },
          },
          mergePatch,
        )
        .then(() => (changes += 1))
        .catch(() => undefined);
  }, 2000);
  const stop = async () => {
    clearInterval(timer);
    await Promise.all(failed.splice(0).map((n) => label(n, null).catch(() => undefined)));
  };
  onCleanup('stopping the churn', stop);
  return { stop, changes: () => changes };
};

const showFrames = (what: string, r: FrameReport): void => {
  console.log(`${what}:`);
  console.log(`  frame interval (rAF):  ${describeMs(r.intervals)}`);
  const late = r.intervals.filter((i) => i > 1.5 * (1000 / 60)).length;
  console.log(`  frames late (> 25 ms): ${late} of ${r.intervals.length}`);
  const loaf = r.longFrames.map((f) => f.duration);
  console.log(
    `  long animation frames (>= 50 ms): ${loaf.length}, total ${loaf.reduce((a, b) => a + b, 0).toFixed(0)} ms, max ${Math.max(0, ...loaf).toFixed(0)} ms`,
  );
  if (loaf.length > 0) {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0).toFixed(0);
    const scripts = r.longFrames.flatMap((f) => f.scripts.map((s) => s.duration));
    console.log(
      `  of their time: tasks before rendering ${sum(r.longFrames.map((f) => f.duration - f.renderMs))} ms, rendering ${sum(r.longFrames.map((f) => f.renderMs))} ms (style and layout ${sum(r.longFrames.map((f) => f.styleLayoutMs))} ms); scripts of >= 5 ms named: ${sum(scripts)} ms`,
    );
  }
  if (r.topScripts.length > 0) console.log(`  scripts in the long frames: ${r.topScripts.join('; ')}`);
  if (r.lags.length > 0) console.log(`  map behind the server (Date.now() - data-at): ${describeMs(r.lags)}`);
  console.log(`  page: JS heap ${r.heapMb.toFixed(0)} MB, ${r.domNodes} DOM nodes`);
};

await runBench(async () => {
  console.log(
    `ui-scale: a sim lab of 1,000 nodes filled to ${TOTAL_PODS} pods, kartstream serve and the map in Chromium.` +
      '\nThis takes 5-25 minutes on 2 cores; Ctrl+C stops it and brings the lab down.',
  );
  const start = performance.now();
  const seconds = () => ((performance.now() - start) / 1000).toFixed(0);
  const home = benchHome('bench-scale');
  const kubeconfig = await upLab(home, LAB, '--no-monitoring', '--topology', TOPOLOGY);
  const clients = kubeClients(kubeconfig);
  const nodes = (await clients.core.listNode()).items.map((n) => n.metadata?.name ?? '');
  console.log(`[${seconds()} s] lab up: ${nodes.length} nodes`);

  // UI_SCALE_HEAP_SNAPSHOT=1: a heap snapshot of the server at the end of the map window, to see
  // what holds its memory (open it in Chromium's DevTools, Memory tab).
  const shotDir = join(REPO, 'test-results', 'bench');
  mkdirSync(shotDir, { recursive: true });
  const snapshot = process.env.UI_SCALE_HEAP_SNAPSHOT === '1';
  const served = await startServe(
    home,
    LAB,
    snapshot ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${shotDir}` } : {},
  );
  const rss = sampleRss(served.pid);
  await sleep(3000);
  const idleRss = rss.mark();
  const cpuAtStart = { seconds: cpuSeconds(served.pid), at: Date.now() };
  console.log(
    `[${seconds()} s] serve running (pid ${served.pid}), RSS ${idleRss.toFixed(0)} MB before any page`,
  );

  const shopPods = (await clients.core.listNamespacedPod({ namespace: SHOP_NAMESPACE })).items.length;
  const replicas = Math.max(0, TOTAL_PODS - shopPods);
  await serverSideApply(clients, [fillDeployment(replicas)]);
  // Under load some nodes miss heartbeats and go NotReady for a moment; the pods they had stay
  // Ready=False in the sim (kwok does not mark them ready again), and on a busy machine the ready
  // count can swing for many minutes. So: filled when every pod exists and the ready count stopped
  // moving for a minute, or all are ready, or three minutes after the last pod was created (the
  // swinging readiness is then part of the churn the map streams).
  const SETTLE_MS = 3 * 60_000;
  let ready = 0;
  let created = 0;
  let steadySince = Date.now();
  let allCreatedAt: number | undefined;
  let lastLog = 0;
  const filled = await until(
    async () => {
      const status = (await clients.apps.readNamespacedDeployment({ name: FILL, namespace: SHOP_NAMESPACE }))
        .status;
      const nowReady = status?.readyReplicas ?? 0;
      created = status?.replicas ?? 0;
      if (nowReady !== ready) steadySince = Date.now();
      ready = nowReady;
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        console.log(`[${seconds()} s] ${FILL}: ${created}/${replicas} pods, ${ready} ready`);
      }
      if (created < replicas) return false;
      allCreatedAt ??= Date.now();
      return ready >= replicas || Date.now() - steadySince > 60_000 || Date.now() - allCreatedAt > SETTLE_MS;
    },
    FILL_TIMEOUT_MS,
    5000,
  );
  const pods = shopPods + created;
  const readyNodes = (await clients.core.listNode()).items.filter((n) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
  console.log(
    `[${seconds()} s] ${filled ? '' : `NOT filled within ${FILL_TIMEOUT_MS / 60_000} min, going on with `}${pods} pods (${FILL}: ${ready} ready), ${readyNodes}/${nodes.length} nodes ready`,
  );

  const footprint = await informerFootprint(clients);
  console.log(
    `[${seconds()} s] informers as the server runs them, heap after GC: ${footprint.map((f) => `${f.kind} ${f.objects} objects ${f.heapMb.toFixed(0)} MB (peak RSS +${f.peakRiseMb.toFixed(0)} MB)`).join(', ')}`,
  );

  const browser = await launchChromium();
  const changes = churn(clients, nodes, replicas);
  await sleep(15_000); // the first failed nodes' pods are being evicted and replaced
  const idlePage = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await idlePage.setContent('<!doctype html><title>idle</title><p>idle page</p>');
  const idle = await measureFrames(idlePage, WINDOW_S);
  await idlePage.close();
  rss.mark();

  const opening = performance.now();
  const page: Page = await openMap(browser, served.url, LAB, 180_000);
  await page.getByTestId(`node-card-${nodes.find((n) => n.startsWith('frontend-')) ?? ''}`).waitFor();
  const openMs = performance.now() - opening;
  const stats = (await page.getByTestId('map-updated-at').locator('..').innerText()).replace(/\s+/g, ' ');
  console.log(`[${seconds()} s] map open in ${openMs.toFixed(0)} ms, it shows: ${stats}`);
  await sleep(5000);
  const before = changes.changes();
  const busy = await measureFrames(page, WINDOW_S);
  const streamed = changes.changes() - before;
  const lastBackend =
    nodes
      .filter((n) => n.startsWith('backend-'))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
      .at(-1) ?? '';
  const scrollMs = await timeLaneScroll(page, 'backend', lastBackend);
  const clickMs = await timeClickToDetails(page, lastBackend);
  await page.screenshot({ path: join(shotDir, 'ui-scale-map.png') });
  const serverMax = rss.mark();
  const cpuUsed = cpuSeconds(served.pid) - cpuAtStart.seconds;
  const cpuWall = (Date.now() - cpuAtStart.at) / 1000;
  const serverEnd = rssMb(served.pid);
  const parts = rssParts(served.pid);
  // Read before the snapshot: writing one raises the server's RSS by about its heap's size again.
  const overallMax = rss.overall();
  const heapFile = snapshot ? await takeHeapSnapshot(served.pid, shotDir) : undefined;
  await changes.stop();

  console.log(`\n--- ui-scale results (${nodes.length} nodes, ${pods} pods, ${WINDOW_S} s windows) ---`);
  console.log(
    `churn: a node failed every 2 s (4 at a time), fill Deployment +/-${SWING} replicas every 10 s`,
  );
  console.log(`API writes during the map window: ${streamed}; deltas drawn: ${busy.lags.length}`);
  showFrames('baseline, idle page in the same Chromium, same churn', idle);
  showFrames(`map, ${nodes.length} nodes / ${pods} pods, churn`, busy);
  const p95 = percentile(busy.intervals, 95);
  console.log(
    `frame time p95 ${p95.toFixed(1)} ms (idle page ${percentile(idle.intervals, 95).toFixed(1)} ms, ratio ${(p95 / Math.max(1, percentile(idle.intervals, 95))).toFixed(2)}; target <= ${FRAME_BUDGET_MS} ms, i.e. one 60 Hz frame (16.7 ms) between frames)`,
  );
  console.log(
    `server RSS: ${idleRss.toFixed(0)} MB before any page, max ${serverMax.toFixed(0)} MB with the map open under churn (ratio ${(serverMax / Math.max(1, idleRss)).toFixed(1)}), ${serverEnd.toFixed(0)} MB at its end, max over the run ${overallMax.toFixed(0)} MB (target <= 400 MB)`,
  );
  console.log(
    `server RSS at the end: ${parts.anonMb.toFixed(0)} MB anonymous (heap, buffers), ${parts.fileMb.toFixed(0)} MB file-backed (code, mapped files)${heapFile ? `; heap snapshot ${heapFile}` : ''}`,
  );
  console.log(
    `server CPU from the fill to the end of the map window: ${cpuUsed.toFixed(1)} s in ${cpuWall.toFixed(0)} s (${((100 * cpuUsed) / Math.max(1, cpuWall)).toFixed(0)}% of one core)`,
  );
  console.log(
    `usable: map open ${openMs.toFixed(0)} ms; lane scrolled to ${lastBackend}: card shown in ${scrollMs.toFixed(0)} ms; click on its card to node details ${clickMs.toFixed(0)} ms (-1: not within 10 s)`,
  );
});
