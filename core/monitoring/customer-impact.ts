// The customer impact of a scenario run, from the Istio request metrics (the sim shop's traffic
// model, or a mesh on kind/EKS): how many checkouts failed, and for how many minutes the checkout
// error ratio was above the SLO's objective. A lab without these series has "no traffic data",
// never zero failures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CustomerImpact } from '../contract/impact-types.ts';
import { describeError } from '../errors/kartstream-error.ts';
import { MANIFESTS_DIR } from '../stack/render-overlay.ts';
import type { PromRangeSeries, PromSample } from './prometheus-api.ts';
import { PrometheusApi } from './prometheus-api.ts';

const REQUESTS = 'istio_requests_total{reporter="destination"}';
const CHECKOUTS = 'istio_requests_total{reporter="destination", destination_workload="checkoutservice"}';
const FAILED =
  'istio_requests_total{reporter="destination", destination_workload="checkoutservice", grpc_response_status!="0"}';
/** The recording rules' evaluation interval (kartstream.traffic): the ratio is judged this often. */
export const IMPACT_STEP_SECONDS = 15;
// How far back a counter's last sample is looked for: Prometheus' own lookback for an instant
// selector. Read through last_over_time, so that one failed scrape at the end of a run (its
// staleness marker hides every series of the target from a plain selector) does not read as 0.
const LOOKBACK = '5m';
// Scrapes a run's presence check forgives: several scrape intervals on every backend (5 s in sim).
const PRESENCE_SLACK_SECONDS = 60;

/** The checkout availability objective, from the one file the SLO alerts are held to. */
export const checkoutObjective = (file = join(MANIFESTS_DIR, 'monitoring', 'slo.yaml')): number => {
  const slo = parseYaml(readFileSync(file, 'utf8')) as { slos?: { name: string; objective: number }[] };
  const objective = slo.slos?.find((s) => s.name === 'checkout-availability')?.objective;
  if (typeof objective !== 'number' || !(objective > 0 && objective < 1))
    throw new Error(`${file}: no checkout-availability objective between 0 and 1`);
  return objective;
};

const lastValue = (selector: string, offset = '') => `sum(last_over_time(${selector}[${LOOKBACK}]${offset}))`;

// Calls made in the window: the counter at its end minus at its start (a series born in the window
// counts from 0, which increase() would miss). Clamped at 0 in case the exporter restarted.
const countIn = (selector: string, seconds: number) =>
  `clamp_min((${lastValue(selector)} or vector(0)) - (${lastValue(selector, ` offset ${seconds}s`)} or vector(0)), 0)`;

export const impactQueries = (seconds: number) => ({
  checkouts: countIn(CHECKOUTS, seconds),
  failedCheckouts: countIn(FAILED, seconds),
  errorRatio: `(sum(rate(${FAILED}[1m])) or vector(0)) / sum(rate(${CHECKOUTS}[1m]))`,
  /**
   * Whether the lab had request metrics in the run or the minute before it: none means no
   * traffic data. A run before the first checkout (a young lab) has traffic and 0 checkouts,
   * which is not the same; a run of a few seconds on a loaded machine may hold no scrape at all.
   */
  present: `count(last_over_time(${REQUESTS}[${seconds + PRESENCE_SLACK_SECONDS}s]))`,
});

export interface ImpactSamples {
  present: PromSample[];
  checkouts: PromSample[];
  failedCheckouts: PromSample[];
  /** The error ratio every IMPACT_STEP_SECONDS over the window. */
  errorRatio: PromRangeSeries[];
}

const first = (samples: PromSample[]) => Math.round(Number(samples[0]?.value[1] ?? 0));

/** The figures from Prometheus' answers (pure). */
export const computeImpact = (
  window: { from: Date; to: Date },
  samples: ImpactSamples,
  objective: number,
  stepSeconds = IMPACT_STEP_SECONDS,
): CustomerImpact => {
  if (samples.present.length === 0)
    return {
      available: false,
      reason: 'no traffic data: the lab’s Prometheus has no Istio request metrics in the run’s window',
    };
  const seconds = Math.max(1, Math.round((window.to.getTime() - window.from.getTime()) / 1000));
  const points = (samples.errorRatio[0]?.values ?? [])
    .map(([, v]) => Number(v))
    .filter((v) => Number.isFinite(v));
  const above = points.filter((v) => v > 1 - objective).length;
  const minutes = (n: number) => Math.round(((n * stepSeconds) / 60) * 10) / 10;
  return {
    available: true,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    checkouts: first(samples.checkouts),
    failedCheckouts: first(samples.failedCheckouts),
    objective,
    minutesAboveObjective: minutes(above),
    minutesJudged: minutes(points.length),
    queries: impactQueries(seconds),
  };
};

/** Asks the lab's Prometheus about the window; never throws (a blind debrief says why). */
export const readCustomerImpact = async (
  prometheusUrl: string | undefined,
  window: { from: Date; to: Date },
): Promise<CustomerImpact> => {
  if (!prometheusUrl) return { available: false, reason: 'no traffic data: the lab runs without monitoring' };
  try {
    const prometheus = new PrometheusApi(prometheusUrl);
    const seconds = Math.max(1, Math.round((window.to.getTime() - window.from.getTime()) / 1000));
    const q = impactQueries(seconds);
    const [present, checkouts, failedCheckouts, errorRatio] = await Promise.all([
      prometheus.query(q.present),
      prometheus.query(q.checkouts),
      prometheus.query(q.failedCheckouts),
      prometheus.queryRange(q.errorRatio, window.from, window.to, IMPACT_STEP_SECONDS),
    ]);
    return computeImpact(
      window,
      {
        present: present.result,
        checkouts: checkouts.result,
        failedCheckouts: failedCheckouts.result,
        errorRatio: errorRatio.result,
      },
      checkoutObjective(),
    );
  } catch (error) {
    return { available: false, reason: `no traffic data: ${describeError(error)}` };
  }
};
