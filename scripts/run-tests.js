#!/usr/bin/env node
// `npm test`: the static checks (tsc for the engine, the renderer and Electron, then eslint) and
// Vitest (all projects, or the arguments given), side by side. The checks take ~80 s on one core;
// run first they held Vitest back that long, while Vitest's first minutes (the files that mostly
// wait on lab timers) leave a core idle. Their output is kept and printed whole after Vitest's,
// with a plain summary line any CI can read: "Tests: N passed, N failed, N skipped". Exits
// non-zero when a check or a test failed.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const report = join(root, 'test-results', 'vitest.json');
mkdirSync(join(root, 'test-results'), { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);

// package.json's `typecheck` (its tsc commands, split at `&&`), then eslint: one list to keep.
const typecheck = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.typecheck;
const CHECKS = [...typecheck.split('&&').map((command) => command.trim().split(/\s+/)), ['eslint', '.']];

/** Runs the checks one after another (they share one core); resolves to the failed ones and the output. */
const runChecks = async () => {
  const failed = [];
  let output = '';
  for (const [name, ...args] of CHECKS) {
    const command = [name, ...args].join(' ');
    const code = await new Promise((resolve) => {
      const child = spawn(bin(name), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', (error) => {
        output += `${command}: ${error.message}\n`;
        resolve(1);
      });
      child.on('close', (exitCode) => resolve(exitCode ?? 1));
    });
    if (code !== 0) failed.push(command);
  }
  return { failed, output };
};

// The tests start the CLI hundreds of times, the first ones at once in parallel files: build its
// bundle once before them (bin/cli-bundle.js). Its stderr shows if it cannot be built.
spawnSync(process.execPath, [join(root, 'bin', 'kartstream.js'), '--help'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const checks = runChecks();
// A report left by an earlier run must not be summed up as this one's if Vitest dies early.
rmSync(report, { force: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const tests = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    [
      vitest,
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...process.argv.slice(2),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  child.on('close', (code) => resolve(code ?? 1));
});
const { failed, output } = await checks;

console.log(`\nStatic checks (${CHECKS.map((c) => c.join(' ')).join(', ')}):`);
if (output.trim()) console.log(output.trimEnd());
console.log(failed.length === 0 ? 'Checks: all passed' : `Checks: FAILED ${failed.join(', ')}`);
let summary = 'Tests: no result file (Vitest did not finish)';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
} catch {
  // keep the message above
}
console.log(summary);
process.exit(tests !== 0 ? tests : failed.length > 0 ? 1 : 0);
