// Benchmark: `kartstream up --backend sim` against floors measured in the same run: raw
// `kwokctl create cluster` with the same config and nodes + `kubectl apply -k` + `kubectl wait`;
// and, for `up` with monitoring, the same plus the monitoring by hand: the monitoring overlay's
// pods (KWOK forwarding their ports to the host), Prometheus, Alertmanager and the lab agent
// started on those ports, waited for until each answers.
// Run: npx tsx bench/up.ts [rounds]   (binaries must be cached: npx kartstream sim install)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';
import { requireSimBinaries } from '../core/backends/sim/binaries.ts';
import { pickComponentPorts, renderKwokctlConfigFile } from '../core/backends/sim/kwokctl-config.ts';
import { monitoringPortForward, type SimMonitoringPorts } from '../core/backends/sim/monitoring-ports.ts';
import { freePort } from '../core/kube/free-port.ts';
import { requireMonitoringBinaries } from '../core/monitoring/monitoring-binaries.ts';
import { ALERTMANAGER_CONFIG, RULES_FILE } from '../core/monitoring/sim-monitoring.ts';
import { loadTopology, renderSimNodes } from '../core/topology/index.ts';

const repo = join(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 3);
const bin = await requireSimBinaries();
const monitoringBin = await requireMonitoringBinaries();

const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

// Until `url` answers 2xx.
const answers = async (url: string): Promise<void> => {
  for (;;) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
};

// The monitoring by hand: the three host processes on the ports the pods forward to, started in
// the background as soon as the API answers (a person's `&`), waited for at the end.
const startMonitoringByHand = (dir: string, kubeconfig: string, ports: SimMonitoringPorts) => {
  const prometheusYml = join(dir, 'prometheus.yml');
  writeFileSync(
    prometheusYml,
    stringify({
      global: { scrape_interval: '5s', evaluation_interval: '5s' },
      rule_files: [RULES_FILE],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${ports.alertmanager}`] }] }] },
      scrape_configs: [
        { job_name: 'kube-state-metrics', static_configs: [{ targets: [`127.0.0.1:${ports.agent}`] }] },
      ],
    }),
  );
  const children: ResultPromise[] = [
    execa(
      'node',
      [
        join(repo, 'bin/kartstream.js'),
        'lab-agent',
        '--kubeconfig',
        kubeconfig,
        '--port',
        String(ports.agent),
        '--history',
        join(dir, 'alerts.jsonl'),
      ],
      { reject: false },
    ),
    execa(
      monitoringBin.alertmanager,
      [
        `--config.file=${ALERTMANAGER_CONFIG}`,
        `--storage.path=${join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
        '--cluster.listen-address=',
      ],
      { reject: false },
    ),
    execa(
      monitoringBin.prometheus,
      [
        `--config.file=${prometheusYml}`,
        `--storage.tsdb.path=${join(dir, 'prom')}`,
        `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        '--web.enable-lifecycle',
      ],
      { reject: false },
    ),
  ];
  return {
    ready: () =>
      Promise.all([
        answers(`http://127.0.0.1:${ports.agent}/healthz`),
        answers(`http://127.0.0.1:${ports.alertmanager}/-/ready`),
        answers(`http://127.0.0.1:${ports.prometheus}/-/ready`),
      ]),
    stop: async () => {
      for (const c of children) c.kill();
      await Promise.all(children);
    },
  };
};

// The floor: what a person would type by hand for the same lab (with its monitoring, if asked).
const floor = async (withMonitoring: boolean): Promise<number> => {
  const dir = mkdtempSync(join(tmpdir(), 'kartstream-bench-floor-'));
  const env = { ...process.env, KWOK_WORKDIR: join(dir, 'kwok') };
  const config = join(dir, 'kwokctl.yaml');
  const ports: SimMonitoringPorts = {
    prometheus: await freePort(),
    alertmanager: await freePort(),
    agent: await freePort(),
  };
  writeFileSync(
    config,
    await renderKwokctlConfigFile({
      kubeApiserverPort: await freePort(),
      componentPorts: await pickComponentPorts(),
      binaries: {
        kubeApiserver: bin['kube-apiserver'],
        kubeControllerManager: bin['kube-controller-manager'],
        kubeScheduler: bin['kube-scheduler'],
        etcd: bin.etcd,
        kwok: bin.kwok,
        kubectl: bin.kubectl,
      },
      ...(withMonitoring ? { extraDocuments: [monitoringPortForward(ports)] } : {}),
    }),
  );
  const nodes = join(dir, 'nodes.yaml');
  writeFileSync(
    nodes,
    renderSimNodes(await loadTopology())
      .map((n) => stringify(n))
      .join('---\n'),
  );
  const kubeconfig = join(dir, 'kubeconfig');
  const kubectl = (...args: string[]) => execa(bin.kubectl, ['--kubeconfig', kubeconfig, ...args]);
  let monitoring: ReturnType<typeof startMonitoringByHand> | undefined;
  try {
    return await seconds(async () => {
      await execa(
        bin.kwokctl,
        [
          'create',
          'cluster',
          '--name',
          'floor',
          '--config',
          config,
          '--kubeconfig',
          kubeconfig,
          '--wait',
          '90s',
        ],
        { env },
      );
      if (withMonitoring) monitoring = startMonitoringByHand(dir, kubeconfig, ports);
      await kubectl('apply', '--server-side', '-f', nodes);
      await kubectl('apply', '--server-side', '-k', join(repo, 'manifests/overlays/sim'));
      if (withMonitoring)
        await kubectl('apply', '--server-side', '-k', join(repo, 'manifests/monitoring/overlays/sim'));
      await kubectl('wait', '-n', 'shop', '--for=condition=Available', 'deploy', '--all', '--timeout=180s');
      if (withMonitoring) {
        await kubectl(
          'wait',
          '-n',
          'monitoring',
          '--for=condition=Available',
          'deploy',
          '--all',
          '--timeout=180s',
        );
        await monitoring?.ready();
      }
    });
  } finally {
    await monitoring?.stop();
    await execa(bin.kwokctl, ['delete', 'cluster', '--name', 'floor', '--kubeconfig', kubeconfig], {
      env,
      reject: false,
    });
    rmSync(dir, { recursive: true, force: true });
  }
};

// KartStream's own `up`, as a user runs it.
const up = async (...flags: string[]): Promise<number> => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-bench-up-'));
  const env = { ...process.env, KARTSTREAM_HOME: home };
  const cli = (...args: string[]) =>
    execa('node', [join(repo, 'bin/kartstream.js'), ...args], { env, cwd: repo });
  try {
    return await seconds(() => cli('up', '--backend', 'sim', '--name', 'bench', ...flags));
  } finally {
    await cli('down', '--name', 'bench').catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
};

// Each `up` against the floor that does the same work: without monitoring, and with it.
const floors: number[] = [];
const ups: number[] = [];
const monitoringFloors: number[] = [];
const fulls: number[] = [];
for (let round = 1; round <= rounds; round += 1) {
  floors.push(await floor(false));
  ups.push(await up('--no-monitoring'));
  monitoringFloors.push(await floor(true));
  fulls.push(await up());
  console.log(
    `round ${round}: floor ${floors.at(-1)?.toFixed(2)} s, up --no-monitoring ${ups.at(-1)?.toFixed(2)} s, ` +
      `floor with monitoring ${monitoringFloors.at(-1)?.toFixed(2)} s, up ${fulls.at(-1)?.toFixed(2)} s`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const [f, u, mf, mu] = [median(floors), median(ups), median(monitoringFloors), median(fulls)];
console.log(
  `median floor ${f.toFixed(2)} s, up --no-monitoring ${u.toFixed(2)} s (ratio ${(u / f).toFixed(2)}, target <= 1.2)`,
);
console.log(
  `median floor with monitoring ${mf.toFixed(2)} s, up ${mu.toFixed(2)} s (ratio ${(mu / mf).toFixed(2)}, target <= 1.3; up target < 15 s)`,
);
