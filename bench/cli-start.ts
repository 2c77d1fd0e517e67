// Benchmark: what one `kartstream` command costs to start. The integration tests run the CLI
// hundreds of times (and a scenario's auto-solve runs it for each solution line), so its start is
// most of their CPU. Compares bin/kartstream.js (the engine's bundle, bin/cli-bundle.js) with a
// baseline that runs the TypeScript sources through tsx (KARTSTREAM_FROM_SOURCES=1, the entry as
// it was before the bundle), in the same process, alternating, with the CPU time of each child
// (user + sys, from bash `times`).
// Run: npx tsx bench/cli-start.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const rounds = Number(process.argv[2] ?? 8);
const repo = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kartstream-cli-start-'));
const entry = join(repo, 'bin/kartstream.js');
// A command that loads the engine and the Kubernetes client and then fails fast: no lab needed.
const args = ['scenario', 'status', '--name', 'no-such-lab'];

type Run = { cpu: number; wall: number };

// Seconds of CPU (user + sys) and of wall time for one run of the CLI.
const measure = async (fromSources: boolean): Promise<Run> => {
  const started = performance.now();
  const r = await execa(
    'bash',
    ['-c', `"${process.execPath}" "$0" "$@" >/dev/null 2>&1; times`, entry, ...args],
    {
      cwd: repo,
      env: { KARTSTREAM_HOME: dir, ...(fromSources ? { KARTSTREAM_FROM_SOURCES: '1' } : {}) },
    },
  );
  const wall = (performance.now() - started) / 1000;
  // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.210s"
  const children = String(r.stdout).trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { cpu: seconds.reduce((a, b) => a + b, 0), wall };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

try {
  const runs: Record<'baseline' | 'current', Run[]> = { baseline: [], current: [] };
  // Builds the bundle if it is stale and warms tsx's transform cache.
  await measure(false);
  await measure(true);
  for (let i = 0; i < rounds; i++) {
    runs.baseline.push(await measure(true));
    runs.current.push(await measure(false));
  }
  const med = (name: 'baseline' | 'current', k: keyof Run) => median(runs[name].map((x) => x[k]));
  for (const name of ['baseline', 'current'] as const)
    console.log(
      `${name.padEnd(9)} cpu median ${med(name, 'cpu').toFixed(2)} s, wall median ${med(name, 'wall').toFixed(2)} s`,
    );
  console.log(
    `bin/kartstream.js / baseline: cpu ${(med('current', 'cpu') / med('baseline', 'cpu')).toFixed(2)}, wall ${(med('current', 'wall') / med('baseline', 'wall')).toFixed(2)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
