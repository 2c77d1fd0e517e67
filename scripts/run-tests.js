#!/usr/bin/env node
// Runs Vitest (all projects, or the arguments given) and ends with one plain summary line,
// "Tests: N passed, N failed, N skipped", that any CI can read. Exits with Vitest's code.
import { mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const report = join(root, 'test-results', 'vitest.json');
mkdirSync(join(root, 'test-results'), { recursive: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// The tests start the CLI hundreds of times, the first ones at once in parallel files: build its
// bundle once before them (bin/cli-bundle.js). Its stderr shows if it cannot be built.
spawnSync(process.execPath, [join(root, 'bin', 'kartstream.js'), '--help'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const run = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
let summary = 'Tests: no result file (Vitest did not finish)';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
} catch {
  // keep the message above
}
console.log(summary);
process.exit(run.status ?? 1);
