// `kartstream sim install`: builds the sim backend's binaries into the cache (once; a second run
// does nothing). Steps and progress go to stderr, the outcome to stdout; Ctrl-C cancels the build.
import type { Command } from 'commander';
import { dirname } from 'node:path';
import { findSimBinaries, SIM_BINARY_NAMES, simBinaryPath } from '../backends/sim/binaries.ts';
import { installSimBinaries } from '../backends/sim/install-from-go.ts';
import { runTask } from '../tasks/task.ts';
import { cancelOnInterrupt, taskEventPrinter } from './task-output.ts';
import type { Output } from './output.ts';

export const addSimCommand = (program: Command, out: Output): void => {
  const sim = program.command('sim').description('the simulated backend (real control plane, kwok nodes)');
  sim
    .command('install')
    .description('build the sim binaries (kwok, kube-apiserver, etcd, ...) into the cache; needs Go ≥ 1.26')
    .option('--verbose', 'also print the go commands and their output')
    .action(async (opts: { verbose?: boolean }) => {
      const { built } = await cancelOnInterrupt(out, (signal) =>
        runTask('install the sim binaries', installSimBinaries, {
          onEvent: taskEventPrinter(out, opts.verbose),
          signal,
        }),
      );
      const report = await findSimBinaries();
      const where = dirname(dirname(simBinaryPath('kwok')));
      if (built.length === 0)
        out.print(
          `all ${SIM_BINARY_NAMES.length} sim binaries are already installed in ${where}; nothing to build`,
        );
      else out.print(`built ${built.join(', ')} into ${where}`);
      for (const name of SIM_BINARY_NAMES) {
        const found = report.found[name];
        if (found) out.print(`  ${name.padEnd(24)} ${found.version.padEnd(9)} ${found.path}`);
      }
    });
};
