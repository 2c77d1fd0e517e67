// Benchmark: what the lab agent's traffic work costs (issue #16). Each figure is one agent step
// as the agent runs it every 5 s: the model's view built from the pods and Deployments the watch
// store holds, the model's step with the Istio exporter and the failure log book listening, and
// the pods whose CPU annotation must change. Floors measured in the same run: the same step with
// no users (view, CPU bookkeeping and exports, no requests), and a reference loop.
// Run: npx tsx bench/traffic-model.ts [seconds per measurement]
import type { V1Deployment, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { failureLogBook } from '../core/monitoring/failure-logs.ts';
import { istioMetrics } from '../core/traffic/istio-metrics.ts';
import { usageUpdates } from '../core/traffic/pod-usage.ts';
import { SHOP_WORKLOADS } from '../core/traffic/shop-calls.ts';
import { buildShopView } from '../core/traffic/shop-view.ts';
import { createTrafficModel } from '../core/traffic/traffic-model.ts';

const seconds = Number(process.argv[2] ?? 3);
const STEP_SECONDS = 5;
const NS = 'shop';

const pod = (app: string, i: number, nodes: number, namespace = NS): V1Pod => ({
  metadata: { name: `${app}-${i}`, namespace, labels: { app } },
  spec: {
    nodeName: `node-${i % nodes}`,
    containers: [{ name: 'server', resources: { limits: { cpu: '200m' }, requests: { cpu: '100m' } } }],
  },
  status: {
    phase: 'Running',
    podIP: `10.0.${(i >> 8) & 255}.${i & 255}`,
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});

const loadgenerator = (users: number): V1Deployment => ({
  metadata: { name: 'loadgenerator', namespace: NS },
  spec: {
    selector: {},
    template: { spec: { containers: [{ name: 'main', env: [{ name: 'USERS', value: String(users) }] }] } },
  },
});

const redisLockdown: V1NetworkPolicy = {
  metadata: { name: 'redis-lockdown', namespace: NS },
  spec: {
    podSelector: { matchLabels: { app: 'redis-cart' } },
    policyTypes: ['Ingress'],
    ingress: [{ _from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }],
  },
};

interface Cluster {
  pods: V1Pod[];
  users: number;
  policies: V1NetworkPolicy[];
}

/** One agent step on `cluster`, as shop-traffic.ts runs it; returns a value so nothing is optimised out. */
const agentStep = (cluster: Cluster) => {
  const model = createTrafficModel(11);
  const registry = new Registry();
  const istio = istioMetrics(registry, NS);
  const book = failureLogBook();
  const deployments = [loadgenerator(cluster.users)];
  const namespaces = [{ metadata: { name: NS } }];
  return () => {
    const view = buildShopView({
      namespace: NS,
      pods: cluster.pods,
      deployments,
      policies: cluster.policies,
      namespaces,
    });
    const result = model.step(view, STEP_SECONDS, (hop) => {
      istio(hop);
      book.see(hop);
    });
    book.take();
    return usageUpdates(cluster.pods, result.cpuMillicores).length + result.edges.length;
  };
};

/** Runs `work` for `seconds`; its CPU time (user + system) and wall time per call, in ms. */
const measure = (work: () => number) => {
  let sink = 0;
  for (let i = 0; i < 20; i++) sink += work(); // warm-up
  const cpu = process.cpuUsage();
  const start = performance.now();
  const wall: number[] = [];
  while (performance.now() - start < seconds * 1000) {
    const t = performance.now();
    sink += work();
    wall.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  wall.sort((a, b) => a - b);
  return {
    calls: wall.length,
    cpuMs: (used.user + used.system) / 1000 / wall.length,
    p50: wall[Math.floor(wall.length / 2)]!,
    p95: wall[Math.floor(wall.length * 0.95)]!,
    sink,
  };
};

/** A reference loop: a fixed amount of plain arithmetic, so runs on different machines compare. */
const reference = () => {
  let x = 0;
  for (let i = 0; i < 1_000_000; i++) x = (x + Math.sqrt(i)) % 1e9;
  return x > 0 ? 1 : 0;
};

/** The shop with `replicas` of each service; one loadgenerator (its USERS are the users) and one redis. */
const shopPods = (replicas: number, nodes: number) =>
  SHOP_WORKLOADS.flatMap((app) =>
    Array.from({ length: app === 'loadgenerator' || app === 'redis-cart' ? 1 : replicas }, (_, i) =>
      pod(app, i, nodes),
    ),
  );
const others = (count: number, nodes: number) =>
  Array.from({ length: count }, (_, i) => pod('bench-fill', i, nodes, 'bench'));

const row = (what: string, m: ReturnType<typeof measure>, floor?: ReturnType<typeof measure>) =>
  `| ${what} | ${m.calls} | ${m.cpuMs.toFixed(3)} | ${m.p50.toFixed(3)} | ${m.p95.toFixed(3)} | ${
    floor ? (m.cpuMs / floor.cpuMs).toFixed(1) : '1.0'
  } |`;

const ref = measure(reference);
const defaultShop: Cluster = { pods: shopPods(1, 6), users: 10, policies: [] };
const idleShop: Cluster = { ...defaultShop, users: 0 };
const big: Cluster = { pods: [...shopPods(1, 1000), ...others(9_988, 1000)], users: 10, policies: [] };
const bigShop: Cluster = {
  pods: shopPods(1_000, 1000).slice(0, 10_000),
  users: 1_000,
  policies: [redisLockdown],
};
const bigShopIdle: Cluster = { ...bigShop, users: 0 };

const results = {
  defaultShop: measure(agentStep(defaultShop)),
  idleShop: measure(agentStep(idleShop)),
  big: measure(agentStep(big)),
  bigShop: measure(agentStep(bigShop)),
  bigShopIdle: measure(agentStep(bigShopIdle)),
};

console.log(
  `node ${process.version}, ${seconds} s per measurement, one step = ${STEP_SECONDS} s of traffic\n`,
);
console.log(
  '| what (one agent step) | steps run | CPU ms per step | wall p50 ms | wall p95 ms | × its floor |',
);
console.log('|---|---:|---:|---:|---:|---:|');
console.log(row('reference loop (1e6 sqrt)', ref));
console.log(row('floor: default shop, 0 users', results.idleShop));
console.log(row('default shop (12 pods, 10 users)', results.defaultShop, results.idleShop));
console.log(
  row('1,000 nodes, 10,000 pods (the shop is 12 of them), 10 users', results.big, results.idleShop),
);
console.log(row('floor: shop of 10,000 pods, 0 users', results.bigShopIdle));
console.log(
  row(
    'shop of 10,000 pods on 1,000 nodes, 1,000 users, a NetworkPolicy',
    results.bigShop,
    results.bigShopIdle,
  ),
);
const share = (results.defaultShop.cpuMs / (STEP_SECONDS * 1000)) * 100;
console.log(`\ndefault shop: ${share.toFixed(3)} % of one core (target ≤ 5 %)`);
console.log(
  `1,000 nodes / 10,000 pods: ${results.big.cpuMs.toFixed(1)} ms of CPU per step with the shop at 12 pods, ${results.bigShop.cpuMs.toFixed(1)} ms with the shop at 10,000 (target ≤ 50 ms)`,
);
console.log(
  `against the reference loop: default shop ${(results.defaultShop.cpuMs / ref.cpuMs).toFixed(2)}×, 10,000 pods ${(results.big.cpuMs / ref.cpuMs).toFixed(2)}× and ${(results.bigShop.cpuMs / ref.cpuMs).toFixed(2)}×`,
);
