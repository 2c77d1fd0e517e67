// The sim shop's traffic: the loadgenerator's users run their tasks, each page request walks the
// call graph (shop-calls.ts), and every hop succeeds or fails from the cluster as it is now —
// a ready endpoint behind the Service, NetworkPolicies between the two pods, a bad rollout's
// error rate — while CPU pressure from the load stretches latencies. Pure and seeded: the same
// seed and the same cluster give the same outcomes, so tests can assert them exactly.
import type { PolicyPod, PolicyWorld } from './network-policy.ts';
import { policyVerdicts } from './policy-verdicts.ts';
import {
  CALLS,
  OWN_LATENCY_MS,
  PAGES,
  SERVICE_PORTS,
  SHOP_WORKLOADS,
  USER_TASKS,
  USER_WAIT_SECONDS,
  type Call,
  type PageName,
  type ShopWorkload,
} from './shop-calls.ts';

export type Callee = Exclude<ShopWorkload, 'loadgenerator'>;
export type Caller = Exclude<ShopWorkload, 'redis-cart'>;

/** A pod of the shop as the model needs it. */
export interface ShopPod extends PolicyPod {
  name: string;
  /** Ready pods are the Service's endpoints; the others get no traffic. */
  ready: boolean;
  /** The container's CPU limit; without one the pod never saturates. */
  cpuLimitMillicores?: number;
  /** Share of the requests it serves that fail on their own (a bad rollout), 0..1. */
  errorRate?: number;
}

/** The cluster as the model sees it, rebuilt from the watch store before each step. */
export interface ShopView {
  /** The shop's pods by workload (the Services select `app: <workload>`). */
  pods: Partial<Record<ShopWorkload, readonly ShopPod[]>>;
  policies: PolicyWorld;
  /** Simulated users: the loadgenerator's USERS times its ready replicas. */
  users: number;
}

/** gRPC status codes the shop answers with (grpc/codes). */
export const GRPC = {
  OK: 0,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** A call to a Service with no ready endpoint is refused at once (kube-proxy rejects it). */
export const REFUSED_MS = 1;
/**
 * A call a NetworkPolicy drops hangs until the caller gives up: gRPC waits its minimum connect
 * timeout (20 s) before UNAVAILABLE. Learners see it as slow pages that then fail.
 */
export const DROPPED_MS = 20_000;

/** CPU each workload spends on one request (millicore-seconds), and what it burns idle (millicores). */
export const CPU_PER_REQUEST_MCS: Record<Callee, number> = {
  frontend: 12,
  adservice: 6,
  cartservice: 4,
  checkoutservice: 5,
  currencyservice: 2,
  emailservice: 10,
  paymentservice: 3,
  productcatalogservice: 1.5,
  recommendationservice: 8,
  shippingservice: 1.5,
  'redis-cart': 0.2,
};
export const IDLE_MILLICORES: Record<ShopWorkload, number> = {
  loadgenerator: 15,
  frontend: 3,
  adservice: 12,
  cartservice: 6,
  checkoutservice: 2,
  currencyservice: 4,
  emailservice: 3,
  paymentservice: 3,
  productcatalogservice: 2,
  recommendationservice: 4,
  shippingservice: 2,
  'redis-cart': 3,
};
/** Locust's CPU per page request it makes (millicore-seconds). */
const LOADGENERATOR_MCS_PER_PAGE = 4;
/** Utilisation is capped here: the queueing stretch 1/(1-ρ) stays finite (×20 at most). */
const MAX_UTILISATION = 0.95;

/** Istio's default request duration buckets (milliseconds). */
export const LATENCY_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
] as const;

/** Requests on one edge with one outcome during a step. */
export interface EdgeSample {
  from: Caller;
  to: Callee;
  /** HTTP status (gRPC calls answer 200 and carry their status in `grpcStatus`, as Istio reports them). */
  responseCode: number;
  grpcStatus?: number;
  count: number;
  latencySumMs: number;
  /** Cumulative counts per LATENCY_BUCKETS_MS bound, Prometheus style. */
  latencyBuckets: number[];
}

export interface StepResult {
  edges: EdgeSample[];
  pages: Record<PageName, { requests: number; failures: number; latencySumMs: number }>;
  checkouts: { ok: number; failed: number };
  /** CPU use per pod name (millicores), for KWOK's resource usage and `kubectl top`. */
  cpuMillicores: Record<string, number>;
}

/** mulberry32: a small seeded PRNG, enough for a simulation and identical on every platform. */
const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A Poisson sample: Knuth's method for small means, a rounded normal for large ones. */
const poisson = (mean: number, random: () => number): number => {
  if (mean <= 0) return 0;
  if (mean > 50) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
};

interface HopOutcome {
  ok: boolean;
  responseCode: number;
  grpcStatus?: number;
  latencyMs: number;
  /** The failed required call that made this one fail (what the service's error wraps). */
  cause?: Hop;
}

/** One completed call, as the exporter and the failure logs see it. */
export interface Hop extends HopOutcome {
  from: Caller;
  /** The calling pod's name; none for a request from outside the shop. */
  fromPod?: string;
  to: Callee;
  method: string;
  /** The page the frontend was serving when the call was made. */
  page: PageName;
  /** The caller goes on without it (ads, recommendations, the email). */
  optional?: boolean;
  /** A NetworkPolicy dropped the connection (the caller timed out). */
  dropped?: boolean;
}
export type HopListener = (hop: Hop) => void;

/** What a workload answers when a call it needs failed (read from each service's error handling). */
const failureOf = (workload: Callee): Pick<HopOutcome, 'responseCode' | 'grpcStatus'> => {
  switch (workload) {
    case 'frontend':
      return { responseCode: 500 };
    case 'cartservice':
      return { responseCode: 200, grpcStatus: GRPC.FAILED_PRECONDITION };
    case 'checkoutservice':
      return { responseCode: 200, grpcStatus: GRPC.INTERNAL };
    default:
      return { responseCode: 200, grpcStatus: GRPC.UNKNOWN };
  }
};

const protocolOk = (workload: Callee): Pick<HopOutcome, 'responseCode' | 'grpcStatus'> =>
  SERVICE_PORTS[workload].protocol === 'grpc'
    ? { responseCode: 200, grpcStatus: GRPC.OK }
    : { responseCode: 200 };

/**
 * A traffic model with its own random stream and memory of the last step's load (CPU pressure
 * follows the request rate per pod). Call `step` with the live cluster and the seconds elapsed.
 */
export const createTrafficModel = (seed: number) => {
  const random = mulberry32(seed);
  let utilisation: Partial<Record<Callee, number>> = {};

  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  // The machinery of one step (or one probe): the calls made, their outcomes, the load per pod.
  const walk = (view: ShopView, onHop?: HopListener) => {
    const edges = new Map<string, EdgeSample>();
    const arrivals = new Map<string, number>(); // requests served per pod
    const pages = Object.fromEntries(
      Object.keys(PAGES).map((p) => [p, { requests: 0, failures: 0, latencySumMs: 0 }]),
    ) as StepResult['pages'];
    const checkouts = { ok: 0, failed: 0 };
    const ready = new Map(SHOP_WORKLOADS.map((w) => [w, (view.pods[w] ?? []).filter((p) => p.ready)]));
    const endpoints = (w: ShopWorkload) => ready.get(w)!;

    let currentPage: PageName = 'home';

    const record = (hop: Hop) => {
      onHop?.(hop);
      const { from, to, responseCode, grpcStatus, latencyMs } = hop;
      const key = `${from}>${to}>${responseCode}>${grpcStatus ?? ''}`;
      let sample = edges.get(key);
      if (!sample) {
        sample = {
          from,
          to,
          responseCode,
          ...(grpcStatus === undefined ? {} : { grpcStatus }),
          count: 0,
          latencySumMs: 0,
          latencyBuckets: LATENCY_BUCKETS_MS.map(() => 0),
        };
        edges.set(key, sample);
      }
      sample.count++;
      sample.latencySumMs += latencyMs;
      LATENCY_BUCKETS_MS.forEach((le, i) => {
        if (latencyMs <= le) sample.latencyBuckets[i]!++;
      });
    };

    const allowed = policyVerdicts(view.policies);

    // One call from a pod of `from` to the Service of `call.to`, and everything it causes.
    const hop = (from: Caller, fromPod: ShopPod | undefined, call: Call): Hop => {
      const to = call.to;
      const targets = endpoints(to);
      let outcome: HopOutcome & { dropped?: boolean };
      if (targets.length === 0) {
        outcome = { ok: false, responseCode: 503, grpcStatus: GRPC.UNAVAILABLE, latencyMs: REFUSED_MS };
        if (SERVICE_PORTS[to].protocol !== 'grpc') delete outcome.grpcStatus;
      } else {
        const toPod = pick(targets);
        if (fromPod && !allowed(fromPod, toPod, SERVICE_PORTS[to].targetPort)) {
          outcome = {
            ok: false,
            responseCode: 0,
            grpcStatus: GRPC.UNAVAILABLE,
            latencyMs: DROPPED_MS,
            dropped: true,
          };
          if (SERVICE_PORTS[to].protocol !== 'grpc') delete outcome.grpcStatus;
        } else outcome = serve(to, toPod, call.method);
      }
      const done: Hop = {
        from,
        ...(fromPod ? { fromPod: fromPod.name } : {}),
        to,
        method: call.method,
        page: currentPage,
        ...(call.optional ? { optional: true } : {}),
        ...outcome,
      };
      record(done);
      return done;
    };

    // A pod of `workload` serving one request: its own work, then its calls in order.
    const serve = (workload: Callee, pod: ShopPod, method: string): HopOutcome => {
      arrivals.set(pod.name, (arrivals.get(pod.name) ?? 0) + 1);
      const stretch = 1 / (1 - Math.min(MAX_UTILISATION, utilisation[workload] ?? 0));
      let latencyMs = OWN_LATENCY_MS[workload] * stretch;
      const caller = workload === 'redis-cart' ? undefined : workload;
      const calls =
        caller === 'frontend' ? PAGES[method as PageName].calls : caller && CALLS[caller]?.[method];
      for (const call of caller ? (calls ?? []) : []) {
        for (let i = 0; i < (call.times ?? 1); i++) {
          const result = hop(caller!, pod, call);
          latencyMs += result.latencyMs;
          if (!result.ok && !call.optional)
            return { ok: false, ...failureOf(workload), latencyMs, cause: result };
        }
      }
      if (random() < (pod.errorRate ?? 0)) return { ok: false, ...failureOf(workload), latencyMs };
      return { ok: true, ...protocolOk(workload), latencyMs };
    };

    // The frontend serving one page: its handler's calls in order, optional ones survived.
    const page = (name: PageName, fromPod: ShopPod | undefined): HopOutcome => {
      currentPage = name;
      const result = hop('loadgenerator', fromPod, { to: 'frontend', method: name });
      const stats = pages[name];
      stats.requests++;
      stats.latencySumMs += result.latencyMs;
      if (!result.ok) stats.failures++;
      if (name === 'checkout') checkouts[result.ok ? 'ok' : 'failed']++;
      return result;
    };

    return { page, endpoints, edges, arrivals, pages, checkouts };
  };

  /** `onHop` sees every call as it completes (the metrics exporter observes each latency). */
  const step = (view: ShopView, seconds: number, onHop?: HopListener): StepResult => {
    const { page, endpoints, edges, arrivals, pages, checkouts } = walk(view, onHop);
    const totalWeight = USER_TASKS.reduce((sum, t) => sum + t.weight, 0);
    const meanWait = (USER_WAIT_SECONDS.min + USER_WAIT_SECONDS.max) / 2;
    const tasks = poisson((view.users * seconds) / meanWait, random);
    let pageRequests = 0;
    for (let i = 0; i < tasks; i++) {
      let roll = random() * totalWeight;
      const task = USER_TASKS.find((t) => (roll -= t.weight) < 0) ?? USER_TASKS[0]!;
      const users = endpoints('loadgenerator');
      const user = users.length ? pick(users) : undefined;
      for (const name of task.pages) {
        page(name, user);
        pageRequests++;
      }
    }

    // CPU: idle use plus the work of the requests served, per pod; pressure for the next step.
    const cpuMillicores: Record<string, number> = {};
    const nextUtilisation: Partial<Record<Callee, number>> = {};
    for (const [workload, pods] of Object.entries(view.pods) as [ShopWorkload, ShopPod[]][]) {
      for (const pod of pods.filter((p) => p.ready)) {
        const perSecond =
          workload === 'loadgenerator'
            ? (pageRequests / Math.max(1, endpoints('loadgenerator').length)) * LOADGENERATOR_MCS_PER_PAGE
            : (arrivals.get(pod.name) ?? 0) * CPU_PER_REQUEST_MCS[workload];
        const used = IDLE_MILLICORES[workload] + perSecond / seconds;
        cpuMillicores[pod.name] = Math.round(
          pod.cpuLimitMillicores ? Math.min(used, pod.cpuLimitMillicores) : used,
        );
        if (workload !== 'loadgenerator' && pod.cpuLimitMillicores) {
          const share = used / pod.cpuLimitMillicores;
          nextUtilisation[workload] = Math.max(nextUtilisation[workload] ?? 0, share);
        }
      }
    }
    utilisation = nextUtilisation;

    return { edges: [...edges.values()], pages, checkouts, cpuMillicores };
  };

  /**
   * One page requested from outside the shop (a port-forward to the frontend, as the `http` check
   * and a learner's curl do): what it answers, without counting it as the loadgenerator's traffic.
   */
  const probe = (view: ShopView, name: PageName): { status: number; latencyMs: number } => {
    const result = walk(view).page(name, undefined);
    return { status: result.ok ? 200 : result.responseCode || 504, latencyMs: result.latencyMs };
  };

  return { step, probe };
};
