// Benchmark: the failover scenario end to end on sim (`scenario run failover --auto-solve`),
// against the floor measured in the same run on the same lab: the same faults and repair done by
// hand with kubectl (see `floor` below).
// Run: npx tsx bench/failover.ts [rounds]   (needs the sim binaries and Prometheus installed)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const repo = join(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 3);
const home = mkdtempSync(join(tmpdir(), 'kartstream-bench-failover-'));
const env = { ...process.env, KARTSTREAM_HOME: home };
const cli = (...args: string[]) =>
  execa(process.execPath, [join(repo, 'bin/kartstream.js'), ...args, '--name', 'bench'], { env, cwd: repo });

const seconds = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

try {
  await cli('up');
  const kubeconfig = (await cli('kubeconfig')).stdout.trim();
  const kubectl = (...args: string[]) => execa('kubectl', ['--kubeconfig', kubeconfig, ...args]);
  const label = (node: string, value: string) =>
    kubectl('label', 'node', node, `kartstream.dev/fault${value}`, '--overwrite');
  const podsOn = async (node: string) =>
    (await kubectl('get', 'pods', '--field-selector', `spec.nodeName=${node}`, '-o', 'name')).stdout.trim();
  const pending = async () =>
    (await kubectl('get', 'pods', '--field-selector', 'status.phase=Pending', '-o', 'name')).stdout.trim();
  const until = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 1200 && !(await done()); i += 1) await new Promise((r) => setTimeout(r, 250));
  };
  // The scenario's three steps, by hand: lose backend-1 and watch its pods move; lose backend-2
  // and see pods go Pending; heal both and wait for the shop.
  const floor = () =>
    seconds(async () => {
      await kubectl('delete', 'pods', '-l', 'kartstream.dev/pool=backend', '--wait=false');
      await kubectl('wait', 'deploy', '--all', '--for=condition=Available', '--timeout=120s');
      await label('backend-1', '=not-ready');
      await until(async () => (await podsOn('backend-1')) === '');
      await kubectl('wait', 'deploy', '--all', '--for=condition=Available', '--timeout=120s');
      await label('backend-2', '=not-ready');
      await until(async () => (await pending()) !== '');
      await label('backend-1', '-');
      await label('backend-2', '-');
      await kubectl('wait', 'node', '-l', 'pool=backend', '--for=condition=Ready', '--timeout=60s');
      await kubectl('wait', 'deploy', '--all', '--for=condition=Available', '--timeout=120s');
      await until(async () => (await pending()) === '');
    });
  const scenario = () => seconds(() => cli('scenario', 'run', 'failover', '--auto-solve'));
  const floors: number[] = [];
  const runs: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    await cli('reset');
    floors.push(await floor());
    await cli('reset');
    runs.push(await scenario());
    console.log(
      `round ${round}: floor ${floors.at(-1)?.toFixed(1)} s, scenario ${runs.at(-1)?.toFixed(1)} s`,
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `median floor ${median(floors).toFixed(1)} s, median failover scenario ${median(runs).toFixed(1)} s, ratio ${(median(runs) / median(floors)).toFixed(2)} (target: scenario <= 90 s)`,
  );
} finally {
  await cli('down').catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}
