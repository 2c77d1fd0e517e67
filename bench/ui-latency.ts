// Benchmark: API change to DOM update on the cluster map (issue #9: p95 <= 300 ms over at least
// 100 changes). Each change cordons or uncordons a node of a sim lab through the Kubernetes API;
// the time runs from the moment the write is sent to the moment the map's `node-card-<node>` shows
// the new `data-schedulable` (a MutationObserver in Chromium stamps it). The floor, measured for
// the same changes in the same run: a plain client-node watch on nodes in this process, i.e. the
// API's own propagation time. What KartStream adds is the difference.
// Run: npx tsx bench/ui-latency.ts [changes]   (sim binaries cached; about 3-5 minutes)
import { PatchStrategy, setHeaderOptions, Watch, type V1Node } from '@kubernetes/client-node';
import { kubeClients } from '../core/kube/kube-client.ts';
import {
  benchHome,
  describeMs,
  launchChromium,
  onCleanup,
  openMap,
  percentile,
  runBench,
  sleep,
  startServe,
  upLab,
} from './ui-helpers.ts';

const LAB = 'bench-ui';
const CHANGES = Math.max(100, Number(process.argv[2] ?? 120));
/** The first changes warm up the JIT and the page; they are made but not counted. */
const WARM_UP = 5;
const TIMEOUT_MS = 15_000;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** When something about a node was first seen with a given value: `${node}=${value}` -> ms. */
class Sightings {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();

  saw(node: string, value: string, at: number): void {
    const key = `${node}=${value}`;
    if (this.seen.has(key)) return;
    this.seen.set(key, at);
    this.waiters.get(key)?.(at);
  }

  /** Forgets what was seen of `node` (before the next change to it). */
  forget(node: string): void {
    for (const key of this.seen.keys()) if (key.startsWith(`${node}=`)) this.seen.delete(key);
  }

  /** The time `node` was first seen with `value`, or undefined after `timeoutMs`. */
  async when(node: string, value: string, timeoutMs: number): Promise<number | undefined> {
    const key = `${node}=${value}`;
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    let timer: NodeJS.Timeout | undefined;
    const at = await new Promise<number | undefined>((resolve) => {
      this.waiters.set(key, resolve);
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    clearTimeout(timer);
    this.waiters.delete(key);
    return at;
  }
}

// Runs in the page: stamps every change of a node card's data-schedulable (an attribute changed,
// or a card added with it). Date.now() in the page and in Node read the same system clock.
const OBSERVE_CARDS = `(() => {
  const report = (el, at) => {
    const id = el.getAttribute('data-testid') || '';
    if (id.startsWith('node-card-')) window.benchSaw(id.slice('node-card-'.length), el.getAttribute('data-schedulable'), at);
  };
  new MutationObserver((records) => {
    const at = Date.now();
    for (const r of records) {
      if (r.type === 'attributes') report(r.target, at);
      else for (const added of r.addedNodes) {
        if (added.nodeType !== 1) continue;
        if (added.matches('[data-schedulable]')) report(added, at);
        for (const el of added.querySelectorAll('[data-schedulable]')) report(el, at);
      }
    }
  }).observe(document.querySelector('[data-testid="cluster-map"]'), {
    attributes: true, attributeFilter: ['data-schedulable'], childList: true, subtree: true,
  });
})()`;

await runBench(async () => {
  console.log(
    `ui-latency: a sim lab (${LAB}), kartstream serve and Chromium; ${CHANGES} cordon/uncordon changes`,
  );
  const home = benchHome('bench-ui');
  const kubeconfig = await upLab(home, LAB, '--no-monitoring');
  const clients = kubeClients(kubeconfig);
  const nodes = (await clients.core.listNode()).items.map((n) => n.metadata?.name ?? '').sort();
  const schedulable = new Map(nodes.map((n) => [n, true]));

  // The floor: a plain watch on nodes in this process.
  const byWatch = new Sightings();
  const watch = await new Watch(clients.config).watch(
    '/api/v1/nodes',
    {},
    (_type, node: V1Node) =>
      byWatch.saw(node.metadata?.name ?? '', String(!node.spec?.unschedulable), Date.now()),
    () => undefined,
  );
  onCleanup('stopping the node watch', async () => watch.abort());

  const served = await startServe(home, LAB);
  const browser = await launchChromium();
  const page = await openMap(browser, served.url, LAB);
  for (const node of nodes)
    await page.getByTestId(`node-card-${node}`).waitFor({ state: 'attached', timeout: 30_000 });
  const byPage = new Sightings();
  await page.exposeFunction('benchSaw', (node: string, value: string, at: number) =>
    byPage.saw(node, value, at),
  );
  await page.evaluate(OBSERVE_CARDS);

  const ui: number[] = [];
  const floor: number[] = [];
  const added: number[] = [];
  const roundTrip: number[] = [];
  let missed = 0;
  for (let i = 0; i < CHANGES + WARM_UP; i += 1) {
    // Changes come at random moments, not in step with the server's batching or the page's frames.
    await sleep(100 + Math.random() * 300);
    const node = nodes[i % nodes.length] ?? '';
    const value = !schedulable.get(node);
    byWatch.forget(node);
    byPage.forget(node);
    const sent = Date.now();
    await clients.core.patchNode({ name: node, body: { spec: { unschedulable: !value } } }, mergePatch);
    const returned = Date.now();
    schedulable.set(node, value);
    const [watched, shown] = await Promise.all([
      byWatch.when(node, String(value), TIMEOUT_MS),
      byPage.when(node, String(value), TIMEOUT_MS),
    ]);
    if (i < WARM_UP) continue;
    if (watched === undefined || shown === undefined) {
      missed += 1;
      console.log(
        `change ${i}: ${node} schedulable=${value} not seen within ${TIMEOUT_MS / 1000} s by the ${shown === undefined ? 'page' : 'watch'}`,
      );
      continue;
    }
    roundTrip.push(returned - sent);
    floor.push(watched - sent);
    ui.push(shown - sent);
    added.push(shown - watched);
  }

  console.log(`changes measured: ${ui.length} (after ${WARM_UP} warm-up changes), not seen: ${missed}`);
  console.log(`PATCH round trip:                         ${describeMs(roundTrip)}`);
  console.log(`floor, client-node watch sees the change:  ${describeMs(floor)}`);
  console.log(`map shows it (node-card data-schedulable): ${describeMs(ui)}`);
  console.log(`KartStream adds (map minus watch, per change): ${describeMs(added)}`);
  const p95 = percentile(ui, 95);
  console.log(
    `p95 ${p95.toFixed(1)} ms (target <= 300 ms: ${p95 <= 300 && missed === 0 ? 'met' : 'NOT met'}), ratio to the floor's p95 ${(p95 / Math.max(1, percentile(floor, 95))).toFixed(1)}`,
  );
});
