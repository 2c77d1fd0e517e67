// The debrief's customer impact read from a real Prometheus (Debian's, as sim labs run it)
// scraping the sim shop's Istio metrics exporter, fed call by call: "no traffic data" only when
// the lab has no request metrics, 0 checkouts when traffic ran without one (a young lab), and the
// checkouts of the window still counted when the last scrape before the debrief failed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCustomerImpact } from '../../core/monitoring/customer-impact.ts';
import type { PrometheusApi } from '../../core/monitoring/prometheus-api.ts';
import { istioMetrics } from '../../core/traffic/istio-metrics.ts';
import type { Hop } from '../../core/traffic/traffic-model.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  serveRegistry,
  startLocalPrometheus,
  type LocalExporter,
  type LocalPrometheus,
} from './helpers/local-prometheus.ts';

const CHECKOUTS = 'sum(istio_requests_total{destination_workload="checkoutservice"})';
const home: Hop = {
  from: 'loadgenerator',
  to: 'frontend',
  method: 'home',
  page: 'home',
  ok: true,
  responseCode: 200,
  latencyMs: 40,
};
const placeOrder = (grpcStatus: number): Hop => ({
  from: 'frontend',
  fromPod: 'frontend-a',
  to: 'checkoutservice',
  method: 'PlaceOrder',
  page: 'checkout',
  ok: grpcStatus === 0,
  responseCode: 200,
  grpcStatus,
  latencyMs: 120,
});

describe('the customer impact of a run, from a real Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kartstream-customer-impact-'));
  const registry = new Registry();
  const observe = istioMetrics(registry, 'shop');
  const runStart = new Date();
  let exporter: LocalExporter | undefined;
  let local: LocalPrometheus | undefined;
  let prometheus: PrometheusApi;

  const sample = async (promql: string) =>
    Number((await prometheus.query(promql)).result[0]?.value[1] ?? NaN);
  const scraped = (what: string, promql: string, expected: number) =>
    waitFor(
      what,
      () => sample(promql).catch(() => NaN),
      (v) => v === expected,
      30_000,
      { intervalMs: 250 },
    );

  beforeAll(async () => {
    exporter = await serveRegistry(registry);
    local = await startLocalPrometheus(dir, {
      scrape_configs: [{ job_name: 'shop', static_configs: [{ targets: [exporter.target] }] }],
    });
    prometheus = local.api;
    await scraped('Prometheus to scrape the exporter', 'up{job="shop"}', 1);
  }, 60_000);

  afterAll(async () => {
    await local?.stop();
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const impact = (from = runStart) => readCustomerImpact(local?.url, { from, to: new Date() });

  it('says "no traffic data" while the lab has no request metrics at all', async () => {
    expect(await impact()).toEqual({
      available: false,
      reason: expect.stringMatching(/^no traffic data: .*no Istio request metrics/),
    });
  });

  it('reads 0 checkouts, not "no traffic data", when shoppers browsed and nobody checked out yet', async () => {
    for (let i = 0; i < 20; i++) observe(home);
    await scraped('the home page requests in Prometheus', 'sum(istio_requests_total)', 20);
    expect(await impact()).toMatchObject({
      available: true,
      checkouts: 0,
      failedCheckouts: 0,
      minutesJudged: 0,
      objective: 0.999,
    });
  });

  it('counts only what the window holds: the counter at its end minus at its start', async () => {
    for (const status of [0, 0, 13, 0, 0, 13, 0]) observe(placeOrder(status));
    await scraped('the first checkouts in Prometheus', CHECKOUTS, 7);
    const windowStart = new Date();
    for (const status of [0, 13, 0]) observe(placeOrder(status));
    await scraped('the later checkouts in Prometheus', CHECKOUTS, 10);
    expect(await impact(windowStart)).toMatchObject({ available: true, checkouts: 3, failedCheckouts: 1 });
  });

  it('still counts the checkouts when the scrapes before the debrief failed, even in a short run', async () => {
    // The exporter goes away (the lab agent restarting, its node down): Prometheus marks its
    // series stale, and a plain selector sees none of them.
    await exporter?.close();
    await scraped('the exporter’s scrape to fail', 'up{job="shop"}', 0);
    expect(await sample('count(istio_requests_total)')).toBeNaN();
    expect(await impact()).toMatchObject({ available: true, checkouts: 10, failedCheckouts: 3 });
    // A run of a second that holds no scrape at all still has the lab's traffic data: nothing
    // was bought in it, which is a figure.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await impact(new Date(Date.now() - 1000))).toMatchObject({
      available: true,
      checkouts: 0,
      failedCheckouts: 0,
    });
  });
});
