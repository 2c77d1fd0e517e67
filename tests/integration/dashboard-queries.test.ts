// Every PromQL target of every dashboard file (drawn or not) runs without error against a real
// Prometheus (Debian's, as sim labs run it) loading the shared rules file and scraping the
// engine's kube-state-metrics exporter over a small shop: variables substituted as the app
// substitutes them (All, and each single value the label_values queries find), `$__interval`
// and `$__rate_interval` from that Prometheus' own scrape interval. No cluster: the exporter
// reads a fixture view whose crash-looping container restarts as time passes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboards } from '../../core/monitoring/dashboard-model.ts';
import {
  ALL,
  expandExpr,
  intervalSeconds,
  parseLabelValues,
  variableText,
} from '../../core/monitoring/dashboard-queries.ts';
import { ksmRegistry } from '../../core/monitoring/ksm-exporter.ts';
import type { PrometheusApi } from '../../core/monitoring/prometheus-api.ts';
import { RULES_FILE } from '../../core/monitoring/sim-monitoring.ts';
import type { DashboardView } from '../../core/contract/dashboard-types.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  serveRegistry,
  startLocalPrometheus,
  type LocalExporter,
  type LocalPrometheus,
} from './helpers/local-prometheus.ts';

const started = Date.now();

const node = (name: string, pool: string, ready: boolean): V1Node => ({
  metadata: { name, labels: { pool } },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const deployment = (name: string, pool: string, replicas: number, available: number): V1Deployment => ({
  metadata: { name, namespace: 'shop', labels: { 'kartstream.dev/pool': pool } },
  spec: { replicas, selector: {}, template: {} },
  status: { availableReplicas: available },
});
const pod = (
  name: string,
  app: string,
  pool: string,
  nodeName: string | undefined,
  phase: string,
): V1Pod => ({
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app, 'kartstream.dev/pool': pool } },
  spec: { containers: [{ name: 'server' }], ...(nodeName ? { nodeName } : {}) },
  status: {
    phase,
    containerStatuses: [
      {
        name: 'server',
        image: 'x',
        imageID: '',
        ready: phase === 'Running',
        restartCount: 0,
      },
    ],
  },
});

// A small shop: four pools (one node NotReady), a service short of a replica, a Pending pod, and
// cartservice crash-looping, restarting every 2 s.
const view = {
  nodes: () => [
    node('fe-1', 'frontend', true),
    node('be-1', 'backend', true),
    node('be-2', 'backend', false),
    node('db-1', 'database', true),
    node('mon-1', 'monitoring', true),
  ],
  deployments: () => [
    deployment('frontend', 'frontend', 1, 1),
    deployment('cartservice', 'backend', 2, 1),
    deployment('redis-cart', 'database', 1, 1),
  ],
  pods: () => {
    const crashing = pod('cartservice-a', 'cartservice', 'backend', 'be-1', 'Running');
    const status = crashing.status?.containerStatuses?.[0];
    if (status) {
      status.restartCount = Math.floor((Date.now() - started) / 2000);
      status.state = { waiting: { reason: 'CrashLoopBackOff' } };
    }
    return [
      pod('frontend-a', 'frontend', 'frontend', 'fe-1', 'Running'),
      crashing,
      pod('cartservice-b', 'cartservice', 'backend', undefined, 'Pending'),
      pod('redis-cart-a', 'redis-cart', 'database', 'db-1', 'Running'),
    ];
  },
};

describe('the dashboards’ PromQL against a real Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kartstream-dashboard-queries-'));
  let exporter: LocalExporter | undefined;
  let local: LocalPrometheus | undefined;
  let prometheus: PrometheusApi;
  let dashboards: DashboardView[];

  beforeAll(async () => {
    exporter = await serveRegistry(ksmRegistry(view));
    local = await startLocalPrometheus(dir, {
      rule_files: [RULES_FILE],
      scrape_configs: [
        {
          job_name: 'kube-state-metrics',
          honor_labels: true,
          static_configs: [{ targets: [exporter.target] }],
        },
      ],
    });
    prometheus = local.api;
    dashboards = await loadDashboards();
    // The recording rules have run over a few scrapes and the restart counter has moved.
    await waitFor(
      'the recording rules and a restart rate in Prometheus',
      () =>
        prometheus
          .query(
            'kartstream:pod_pool:info and on() (increase(kube_pod_container_status_restarts_total[30s]) > 0)',
          )
          .catch(() => undefined),
      (r) => (r?.result.length ?? 0) > 0,
      60_000,
      { intervalMs: 500 },
    );
  }, 90_000);

  afterAll(async () => {
    await local?.stop();
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the scrape interval from Prometheus' own config, as $__rate_interval needs", async () => {
    expect(await prometheus.scrapeIntervalSeconds()).toBe(1);
  });

  it('finds the pool and service variables’ values with their label_values queries', async () => {
    const values: Record<string, string[]> = {};
    for (const d of dashboards)
      for (const v of d.variables) {
        const { selector, label } = parseLabelValues(v.query);
        values[v.name] = await prometheus.labelValues(label, selector);
      }
    expect(values).toEqual({
      pool: ['backend', 'database', 'frontend', 'monitoring'],
      service: ['cartservice', 'frontend', 'redis-cart'],
    });
  });

  it('runs every target of every panel, with All and with each single value, without an error', async () => {
    const scrapeSeconds = await prometheus.scrapeIntervalSeconds();
    const rangeSeconds = 120;
    let runs = 0;
    for (const d of dashboards) {
      const known: Record<string, string[]> = {};
      for (const v of d.variables) {
        const { selector, label } = parseLabelValues(v.query);
        known[v.name] = await prometheus.labelValues(label, selector);
      }
      // All for every variable, then each variable's values one by one.
      const choices: Record<string, string>[] = [
        {},
        ...d.variables.flatMap((v) => (known[v.name] ?? []).map((value) => ({ [v.name]: value }))),
      ];
      for (const chosen of choices) {
        const texts = Object.fromEntries(
          d.variables.map((v) => [v.name, variableText(v, chosen[v.name] ?? ALL, known[v.name] ?? [])]),
        );
        for (const p of d.panels)
          for (const t of p.targets) {
            const query = expandExpr(t.expr, texts, { rangeSeconds, scrapeSeconds });
            const where = `${d.title} panel ${p.id} (${JSON.stringify(chosen)}): ${query}`;
            const end = new Date();
            const start = new Date(end.getTime() - rangeSeconds * 1000);
            await expect(prometheus.query(query), where).resolves.toBeDefined();
            await expect(
              prometheus.queryRange(query, start, end, intervalSeconds(rangeSeconds, scrapeSeconds)),
              where,
            ).resolves.toBeDefined();
            runs += 1;
          }
      }
    }
    expect(runs).toBeGreaterThan(20);
  });

  it('shows the fixture’s state through the panels: a service short, a pending pod, a restart rate', async () => {
    const texts = { pool: '.*', service: '.*' };
    const expr = (uid: string, id: number) => {
      const t = dashboards.find((d) => d.uid === uid)?.panels.find((p) => p.id === id)?.targets[0];
      return expandExpr(t?.expr ?? '', texts, { rangeSeconds: 120, scrapeSeconds: 1 });
    };
    const values = async (q: string) =>
      Object.fromEntries(
        (await prometheus.query(q)).result.map((s) => [
          s.metric.deployment ?? s.metric.pool ?? s.metric.service ?? '',
          Number(s.value[1]),
        ]),
      );
    // Shop overview 5: available replicas per service; Node pools 3: pending pods per pool;
    // Shop overview 11: the restart rate over $__rate_interval.
    expect(await values(expr('kartstream-shop-overview', 5))).toEqual({
      cartservice: 1,
      frontend: 1,
      'redis-cart': 1,
    });
    expect(await values(expr('kartstream-node-pools', 3))).toEqual({ backend: 1 });
    const rate = await values(expr('kartstream-shop-overview', 11));
    expect(Object.keys(rate).sort()).toEqual(['cartservice', 'frontend', 'redis-cart']);
    expect(rate.cartservice).toBeGreaterThan(0);
    expect([rate.frontend, rate['redis-cart']]).toEqual([0, 0]);
    // With pool=database chosen, Node pools 1 (ready nodes per pool) shows only that pool.
    const one = dashboards.find((d) => d.uid === 'kartstream-node-pools')?.panels.find((p) => p.id === 1);
    const q = expandExpr(
      one?.targets[0]?.expr ?? '',
      { pool: 'database' },
      { rangeSeconds: 120, scrapeSeconds: 1 },
    );
    expect(await values(q)).toEqual({ database: 1 });
  });
});
