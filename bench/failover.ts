// Benchmark: the failover scenario end to end on sim (`scenario run failover --auto-solve`),
// against the floor measured in the same run on the same lab: the same fault and repair done by
// hand with kubectl (label a backend node not-ready, wait until every Deployment is available
// with no pod left on it, heal it, wait until it is Ready).
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
  const floor = () =>
    seconds(async () => {
      await kubectl('label', 'node', 'backend-1', 'kartstream.dev/fault=not-ready', '--overwrite');
      await kubectl('wait', 'node/backend-1', '--for=condition=Ready=false', '--timeout=60s');
      for (let i = 0; i < 600; i += 1) {
        const pods = (
          await kubectl('get', 'pods', '--field-selector', 'spec.nodeName=backend-1', '-o', 'name')
        ).stdout.trim();
        if (!pods) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      await kubectl('wait', 'deploy', '--all', '--for=condition=Available', '--timeout=120s');
      await kubectl('label', 'node', 'backend-1', 'kartstream.dev/fault-');
      await kubectl('wait', 'node/backend-1', '--for=condition=Ready', '--timeout=60s');
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
