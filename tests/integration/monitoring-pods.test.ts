// A sim lab's monitoring is pods on the monitoring pool, as on kind, and the engine reaches
// Prometheus and Alertmanager through port-forwards to them (core/kube/port-forward.ts,
// core/monitoring/monitoring-access.ts); kubectl port-forward, an independent client, reaches the
// same process. `rules add` goes through the rules ConfigMap. The pod's fate is the process's fate.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simBackend } from '../../core/backends/sim/backend.ts';
import type { LabContext } from '../../core/backends/cluster-backend.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { openPortForward, type OpenPortForward } from '../../core/kube/port-forward.ts';
import { isAlive } from '../../core/exec/process-alive.ts';
import { closeMonitoringAccess, monitoringAccess } from '../../core/monitoring/monitoring-access.ts';
import { present, waitFor } from '../helpers/wait.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';

const NAME = 'mon-pods';

interface PodList {
  items: {
    metadata: { name: string; labels?: Record<string, string> };
    spec: { nodeName?: string };
    status: { phase: string };
  }[];
}

// Prometheus' start time identifies the process that answered.
const startTime = async (url: string): Promise<string> => {
  const res = await fetch(`${url}/api/v1/status/runtimeinfo`, { signal: AbortSignal.timeout(5_000) });
  return ((await res.json()) as { data: { startTime: string } }).data.startTime;
};

// `kubectl port-forward` on a free local port; resolves with its URL once it listens.
const kubectlPortForward = async (
  kubeconfig: string,
  target: string,
  port: number,
): Promise<{ url: string; child: ResultPromise }> => {
  const child = execa(
    'kubectl',
    ['--kubeconfig', kubeconfig, '-n', 'monitoring', 'port-forward', target, `:${port}`],
    {
      reject: false,
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += String(chunk)));
  const local = await waitFor(
    `kubectl port-forward ${target} to listen`,
    () => /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)?.[1],
    present,
    20_000,
  );
  return { url: `http://127.0.0.1:${local}`, child };
};

describe('monitoring pods in a sim lab', () => {
  const temp = useTempHome();
  let kubeconfig = '';
  let labDir = '';
  let lab: LabContext;
  let forward: OpenPortForward | undefined;

  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME]);
    expect(up.stderr).not.toMatch(/^error:/m);
    lab = await labContext(await requireLabRecord(NAME));
    kubeconfig = lab.kubeconfigPath;
    labDir = lab.dir;
  });
  afterAll(async () => {
    await forward?.close();
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('schedules the monitoring pods onto the monitoring pool, and node-exporter onto every node', async () => {
    const pods = await kubectlJson<PodList>(kubeconfig, ['-n', 'monitoring', 'get', 'pods', '-o', 'wide']);
    const nodeOf = (app: string) =>
      pods.items.filter((p) => p.metadata.labels?.app === app).map((p) => p.spec.nodeName);
    for (const app of ['prometheus', 'alertmanager', 'grafana', 'kube-state-metrics'])
      expect(nodeOf(app), app).toEqual(['monitoring-1']);
    const nodes = await kubectlJson<{ items: { metadata: { name: string } }[] }>(kubeconfig, [
      'get',
      'nodes',
    ]);
    expect(nodeOf('node-exporter').sort()).toEqual(nodes.items.map((n) => n.metadata.name).sort());
    expect(pods.items.every((p) => p.status.phase === 'Running')).toBe(true);
  });

  it('reaches the host Prometheus through a port-forward to its Service, as kubectl port-forward does', async () => {
    forward = await openPortForward(kubeconfig, {
      namespace: 'monitoring',
      service: 'prometheus',
      port: 9090,
    });
    expect(forward.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ports = JSON.parse(readFileSync(join(labDir, 'monitoring-ports.json'), 'utf8')) as {
      prometheus: number;
    };
    const direct = await startTime(`http://127.0.0.1:${ports.prometheus}`);
    expect(await startTime(forward.url)).toBe(direct);
    const kubectl = await kubectlPortForward(kubeconfig, 'svc/prometheus', 9090);
    try {
      expect(await startTime(kubectl.url)).toBe(direct);
    } finally {
      kubectl.child.kill();
    }
    // Many requests, each its own stream: the forward is not a one-shot.
    const answers = await Promise.all(
      Array.from({ length: 5 }, async () => (await fetch(`${forward?.url}/-/ready`)).status),
    );
    expect(answers).toEqual([200, 200, 200, 200, 200]);
  });

  it('follows the Service to the replacement pod when the Prometheus pod is deleted', async () => {
    const before = await kubectlJson<PodList>(kubeconfig, [
      '-n',
      'monitoring',
      'get',
      'pods',
      '-l',
      'app=prometheus',
    ]);
    const old = before.items[0]?.metadata.name ?? '';
    await execa('kubectl', [
      '--kubeconfig',
      kubeconfig,
      '-n',
      'monitoring',
      'delete',
      'pod',
      old,
      '--wait=false',
    ]);
    await waitFor(
      'a new Running Prometheus pod',
      () => kubectlJson<PodList>(kubeconfig, ['-n', 'monitoring', 'get', 'pods', '-l', 'app=prometheus']),
      (list) => list.items.some((p) => p.metadata.name !== old && p.status.phase === 'Running'),
      60_000,
    );
    const status = await waitFor(
      'Prometheus to answer through the same forward',
      async () => (await fetch(`${forward?.url}/-/ready`, { signal: AbortSignal.timeout(5_000) })).status,
      (s) => s === 200,
      60_000,
    );
    expect(status).toBe(200);
  });

  it('keeps one pair of forwards per lab: reused until closed, then the port refuses', async () => {
    const first = await monitoringAccess(lab);
    const again = await monitoringAccess(lab);
    expect(again.prometheus).toBe(first.prometheus);
    expect(again.alertmanager).toBe(first.alertmanager);
    expect((await fetch(`${first.alertmanager}/-/ready`)).status).toBe(200);
    await closeMonitoringAccess(lab.name);
    await expect(fetch(`${first.prometheus}/-/ready`)).rejects.toThrow();
    expect((await monitoringAccess(lab)).prometheus).not.toBe(first.prometheus);
    await closeMonitoringAccess(lab.name);
  });

  it('rules add writes the rule into the rules ConfigMap, and the lab Prometheus loads it', async () => {
    const file = join(temp.home, 'slow-cart.yaml');
    writeFileSync(
      file,
      [
        'groups:',
        '  - name: lab.slow',
        '    rules:',
        '      - alert: CartServiceDownSlow',
        '        expr: kube_deployment_status_replicas_available{deployment="cartservice"} == 0',
        '        for: 5m',
      ].join('\n'),
    );
    const added = await cli(['rules', 'add', file, '--name', NAME]);
    expect(added.stderr).not.toMatch(/^error:/m);
    expect(added.stdout).toMatch(/key learner-slow-cart\.yaml/);
    const maps = await kubectlJson<{
      items: { metadata: { name: string }; data?: Record<string, string> }[];
    }>(kubeconfig, ['-n', 'monitoring', 'get', 'configmaps', '-l', 'app.kubernetes.io/name=prometheus']);
    const rules = maps.items.find((m) => m.metadata.name.startsWith('prometheus-rules'));
    expect(rules?.data?.['learner-slow-cart.yaml']).toContain('CartServiceDownSlow');
    const url = (await monitoringAccess(lab)).prometheus;
    const listed = (await (await fetch(`${url}/api/v1/rules?type=alert`)).json()) as {
      data: { groups: { rules: { name: string }[] }[] };
    };
    expect(listed.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toContain('CartServiceDownSlow');
    await closeMonitoringAccess(lab.name);
  });

  it('stops Prometheus while its node is down (the forward and the process go silent) and resumes it, data kept', async () => {
    const url = forward?.url ?? '';
    const ports = JSON.parse(readFileSync(join(labDir, 'monitoring-ports.json'), 'utf8')) as {
      prometheus: number;
    };
    const direct = `http://127.0.0.1:${ports.prometheus}`;
    const pid = Number(readFileSync(join(labDir, 'monitoring', 'prometheus.pid'), 'utf8'));
    const started = await startTime(url);
    const sampleAt = async (base: string, at: number) => {
      const query = new URLSearchParams({ query: 'up{job="kube-state-metrics"}', time: String(at) });
      const res = await fetch(`${base}/api/v1/query?${query}`, { signal: AbortSignal.timeout(5_000) });
      return ((await res.json()) as { data: { result: { value: [number, string] }[] } }).data.result;
    };
    // A sample Prometheus holds before the failure (after its first scrape), read again after it.
    await waitFor(
      'a first scrape of the lab agent',
      () => sampleAt(url, Date.now() / 1000),
      (r) => r.length === 1,
      30_000,
    );
    const at = Date.now() / 1000;
    const before = await sampleAt(url, at);
    expect(before).toHaveLength(1);

    await simBackend().failNode(lab, 'monitoring-1');
    const answers = async (base: string) =>
      fetch(`${base}/-/ready`, { signal: AbortSignal.timeout(3_000) }).then(
        (r) => r.status === 200,
        () => false,
      );
    await waitFor(
      'Prometheus to stop answering through the forward',
      () => answers(url),
      (a) => !a,
      120_000,
    );
    expect(await answers(direct)).toBe(false);
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    expect(state, 'the process is stopped (T), not gone').toBe('T');
    // The CLI reaches Prometheus through the same kind of forward: it says so, and where to look.
    const blind = await cli(['query', 'up', '--name', NAME]);
    expect(blind.exitCode).toBe(1);
    expect(blind.stderr).toMatch(/Prometheus does not answer.*kubectl -n monitoring get pods/s);

    await simBackend().healNode(lab, 'monitoring-1');
    await waitFor(
      'Prometheus to answer through the forward again',
      () => answers(url),
      (a) => a,
      120_000,
    );
    expect(await startTime(url)).toBe(started);
    expect(await sampleAt(url, at)).toEqual(before);
    const seeing = await cli(['query', 'up{job="kube-state-metrics"}', '--name', NAME]);
    expect(seeing.exitCode).toBe(0);
    expect(seeing.stdout).toMatch(/kube-state-metrics/);
  });

  it('closes: the local port stops accepting connections', async () => {
    const url = forward?.url ?? '';
    await forward?.close();
    forward = undefined;
    await expect(fetch(`${url}/-/ready`)).rejects.toThrow();
  });

  it('down stops a stopped Prometheus too (resumed, then terminated)', async () => {
    const pid = Number(readFileSync(join(labDir, 'monitoring', 'prometheus.pid'), 'utf8'));
    const stateOf = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    await simBackend().failNode(lab, 'monitoring-1');
    await waitFor('Prometheus to be stopped', stateOf, (s) => s === 'T', 120_000);
    const down = await cli(['down', '--name', NAME]);
    expect(down.stderr).not.toMatch(/^error:/m);
    expect(isAlive(pid)).toBe(false);
  });
});
