// Monitoring of a sim lab with real Prometheus and Alertmanager processes: the shared rules fire
// and resolve on real cluster changes, and `kartstream alerts` shows both transitions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { simBackend } from '../../core/backends/sim/backend.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import type { LabContext } from '../../core/backends/cluster-backend.ts';
import type { LabAlert } from '../../core/monitoring/lab-alerts.ts';
import type { LabSnapshot } from '../../core/lab/lab-snapshot.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

const NAME = 'mon-lab';

const alerts = async (): Promise<LabAlert[]> => {
  const r = await cli(['alerts', '--name', NAME, '-o', 'json']);
  expect(r.stderr).not.toMatch(/^error:/m);
  return JSON.parse(r.stdout) as LabAlert[];
};

// Re-reads `kartstream alerts` until `match` holds; the rules' `for` plus evaluation and
// Alertmanager's grouping set the pace, so this follows the CLI, not a fixed sleep.
const waitForAlert = (
  what: string,
  match: (a: LabAlert[]) => boolean,
  timeoutMs: number,
): Promise<LabAlert[]> =>
  waitFor(`kartstream alerts to show ${what}`, alerts, match, timeoutMs, { intervalMs: 2_000 });

// Parses the Prometheus text format into metric name -> label names seen.
const labelNamesByMetric = (text: string): Map<string, Set<string>> => {
  const out = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line);
    if (!m?.[1]) continue;
    const names = out.get(m[1]) ?? new Set<string>();
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="/g)) if (pair[1]) names.add(pair[1]);
    out.set(m[1], names);
  }
  return out;
};

describe('monitoring in a sim lab', () => {
  const temp = useTempHome();
  let lab: LabContext;
  let kubeconfig = '';
  let snapshot: LabSnapshot;

  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME, '-o', 'json']);
    expect(up.stderr).not.toMatch(/^error:/m);
    snapshot = JSON.parse(up.stdout) as LabSnapshot;
    lab = await labContext(await requireLabRecord(NAME));
    kubeconfig = lab.kubeconfigPath;
  });
  afterAll(async () => {
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('runs Prometheus, Alertmanager and the agent on loopback, and status shows them', async () => {
    expect(snapshot.monitoring?.prometheus).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(snapshot.monitoring?.alertmanager).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const status = JSON.parse((await cli(['status', '--name', NAME, '-o', 'json'])).stdout) as LabSnapshot;
    expect(status.monitoring?.processes?.map((p) => [p.name, p.running]).sort()).toEqual([
      ['agent', true],
      ['alertmanager', true],
      ['prometheus', true],
    ]);
    // Prometheus lists its scrape targets once the first scrapes ran: wait for all four up.
    const byJob = await waitFor(
      "Prometheus' four scrape targets up",
      async () => {
        const targets = (await (await fetch(`${snapshot.monitoring?.prometheus}/api/v1/targets`)).json()) as {
          data: { activeTargets: { labels: { job: string }; health: string }[] };
        };
        return Object.fromEntries(targets.data.activeTargets.map((t) => [t.labels.job, t.health]));
      },
      (jobs) => Object.values(jobs).length === 4 && Object.values(jobs).every((h) => h === 'up'),
      30_000,
    );
    expect(byJob).toEqual({
      apiserver: 'up',
      'kube-controller-manager': 'up',
      'kube-scheduler': 'up',
      'kube-state-metrics': 'up',
    });
  });

  it("serves kube-state-metrics series with kube-state-metrics' documented names and labels", async () => {
    const documented = parse(
      readFileSync(join(REPO, 'tests/fixtures/ksm/documented-labels.yaml'), 'utf8'),
    ) as Record<string, string[]>;
    const text = await (await fetch(`${snapshot.monitoring?.agent}/metrics`)).text();
    const declared = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]);
    expect(declared.sort()).toEqual(Object.keys(documented).sort());
    const served = labelNamesByMetric(text);
    for (const [metric, labels] of served) {
      // the traffic model's Istio series share the endpoint (tests/unit/traffic/istio-metrics.test.ts)
      if (metric.startsWith('istio_')) continue;
      const allowed = documented[metric] ?? [];
      for (const label of labels) {
        const ok = allowed.includes(label) || (label.startsWith('label_') && allowed.includes('label_*'));
        expect(ok, `${metric} has label ${label}, not documented`).toBe(true);
      }
    }
    const sample = await (await fetch(`${snapshot.monitoring?.agent}/metrics`)).text();
    expect(sample).toContain(
      'kube_deployment_status_replicas_available{namespace="shop",deployment="cartservice"} 1',
    );
    expect(sample).toMatch(/kube_node_labels\{node="backend-1",label_pool="backend"\} 1/);
    expect(sample).toMatch(
      /kube_node_status_condition\{node="backend-1",condition="Ready",status="true"\} 1/,
    );
  });

  it('fires ShopServiceUnavailable when cartservice is scaled to zero, and resolves it when scaled back', async () => {
    await execa('kubectl', ['--kubeconfig', kubeconfig, 'scale', 'deploy/cartservice', '--replicas=0']);
    const firing = await waitForAlert(
      'ShopServiceUnavailable firing for cartservice',
      (a) =>
        a.some(
          (x) => x.name === 'ShopServiceUnavailable' && x.service === 'cartservice' && x.state === 'firing',
        ),
      120_000,
    );
    const alert = firing.find((x) => x.name === 'ShopServiceUnavailable');
    expect(alert?.pool).toBe('backend');
    expect(alert?.severity).toBe('critical');
    expect(alert?.summary).toMatch(/cartservice/);
    const table = await cli(['alerts', '--name', NAME]);
    expect(table.stdout).toMatch(/ShopServiceUnavailable\s+firing\s+critical\s+backend\s+cartservice/);

    await execa('kubectl', ['--kubeconfig', kubeconfig, 'scale', 'deploy/cartservice', '--replicas=1']);
    await waitForAlert(
      'ShopServiceUnavailable resolved for cartservice',
      (a) =>
        a.some(
          (x) => x.name === 'ShopServiceUnavailable' && x.service === 'cartservice' && x.state === 'resolved',
        ),
      150_000,
    );
    const after = await cli(['alerts', '--name', NAME]);
    expect(after.stdout).toMatch(/ShopServiceUnavailable\s+resolved/);
  });

  it('fires the pool alert when both backend nodes fail', async () => {
    const backend = simBackend();
    await backend.failNode(lab, 'backend-1');
    await backend.failNode(lab, 'backend-2');
    try {
      await waitForAlert(
        'PoolHasNoReadyNodes firing for the backend pool',
        (a) =>
          a.some((x) => x.name === 'PoolHasNoReadyNodes' && x.pool === 'backend' && x.state === 'firing'),
        150_000,
      );
    } finally {
      await backend.healNode(lab, 'backend-1');
      await backend.healNode(lab, 'backend-2');
    }
  });

  it('answers PromQL through `kartstream query`', async () => {
    const r = await cli([
      'query',
      '--name',
      NAME,
      '-o',
      'json',
      'sum(kube_node_labels{label_pool="frontend"})',
    ]);
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(r.stdout) as { result: { value: [number, string] }[] };
    expect(result.result[0]?.value[1]).toBe('2');
    const bad = await cli(['query', '--name', NAME, 'sum(']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/Prometheus refused the request: .*parse error/);
  });
});

describe('monitoring without its binaries', () => {
  const temp = useTempHome();
  afterAll(() => temp.cleanup());

  it('says how to install Prometheus and creates nothing', async () => {
    const r = await cli(['up', '--name', 'nomon'], {
      KARTSTREAM_PROMETHEUS: '/nonexistent/prometheus',
      PATH:
        '/nonexistent' +
        ':' +
        (process.env.PATH ?? '')
          .split(':')
          .filter((d) => !d.startsWith('/usr/bin') && !d.startsWith('/bin'))
          .join(':') +
        ':/usr/local/bin',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/missing for the lab's monitoring: prometheus/);
    expect(r.stderr).toMatch(/apt-get install prometheus prometheus-alertmanager/);
    expect(existsSync(join(temp.home, 'labs', 'nomon'))).toBe(false);
  });
});
