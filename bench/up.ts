// Benchmark: `kartstream up --backend sim` against the floor measured in the same run: raw
// `kwokctl create cluster` with the same config and nodes + `kubectl apply -k` + `kubectl wait`.
// Run: npx tsx bench/up.ts [rounds]   (binaries must be cached: npx kartstream sim install)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { requireSimBinaries } from '../core/backends/sim/binaries.ts';
import { renderKwokctlConfigFile } from '../core/backends/sim/kwokctl-config.ts';
import { freePort } from '../core/kube/free-port.ts';
import { loadTopology, renderSimNodes } from '../core/topology/index.ts';

const repo = join(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 3);
const bin = await requireSimBinaries();

const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

// The floor: what a person would type by hand for the same lab.
const floor = async (): Promise<number> => {
  const dir = mkdtempSync(join(tmpdir(), 'kartstream-bench-floor-'));
  const env = { ...process.env, KWOK_WORKDIR: join(dir, 'kwok') };
  const config = join(dir, 'kwokctl.yaml');
  writeFileSync(
    config,
    await renderKwokctlConfigFile({
      kubeApiserverPort: await freePort(),
      binaries: {
        kubeApiserver: bin['kube-apiserver'],
        kubeControllerManager: bin['kube-controller-manager'],
        kubeScheduler: bin['kube-scheduler'],
        etcd: bin.etcd,
        kwok: bin.kwok,
        kubectl: bin.kubectl,
      },
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
      await kubectl('apply', '--server-side', '-f', nodes);
      await kubectl('apply', '--server-side', '-k', join(repo, 'manifests/overlays/sim'));
      await kubectl('wait', '-n', 'shop', '--for=condition=Available', 'deploy', '--all', '--timeout=180s');
    });
  } finally {
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

// The floor has no monitoring, so the ratio compares `up --no-monitoring`; the full `up` (with
// Prometheus, Alertmanager and the lab agent) is printed beside it.
const floors: number[] = [];
const ups: number[] = [];
const fulls: number[] = [];
for (let round = 1; round <= rounds; round += 1) {
  floors.push(await floor());
  ups.push(await up('--no-monitoring'));
  fulls.push(await up());
  console.log(
    `round ${round}: floor ${floors.at(-1)?.toFixed(2)} s, up --no-monitoring ${ups.at(-1)?.toFixed(2)} s, up ${fulls.at(-1)?.toFixed(2)} s`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const f = median(floors);
const u = median(ups);
console.log(
  `median floor ${f.toFixed(2)} s, up --no-monitoring ${u.toFixed(2)} s (ratio ${(u / f).toFixed(2)}, target <= 1.2), up with monitoring ${median(fulls).toFixed(2)} s (target < 15 s)`,
);
