// `kartstream sim install`: builds the sim backend's binaries into the cache (once; a second run
// does nothing). Steps and progress go to stderr, the outcome to stdout; Ctrl-C cancels the build.
import type { Command } from 'commander';
import { dirname } from 'node:path';
import { findSimBinaries, SIM_BINARY_NAMES, simBinaryPath } from '../backends/sim/binaries.ts';
import { installSimBinaries } from '../backends/sim/install-from-go.ts';
import { runTask, type TaskEvent } from '../tasks/task.ts';
import type { Output } from './output.ts';

// Renders task events as lines a person can follow; go's own output only with --verbose.
export const taskEventPrinter = (out: Output, verbose = false) => {
  let lastProgress = '';
  return (event: TaskEvent): void => {
    if (event.type === 'step') out.info(`[${event.index + 1}] ${event.title}`);
    else if (event.type === 'progress' && event.message && event.message !== lastProgress) {
      lastProgress = event.message;
      out.info(`    ${Math.round(event.fraction * 100)}% ${event.message}`);
    } else if (event.type === 'log' && verbose) out.info(`    ${event.line}`);
  };
};

export const addSimCommand = (program: Command, out: Output): void => {
  const sim = program.command('sim').description('the simulated backend (real control plane, kwok nodes)');
  sim
    .command('install')
    .description('build the sim binaries (kwok, kube-apiserver, etcd, ...) into the cache; needs Go ≥ 1.26')
    .option('--verbose', 'also print the go commands and their output')
    .action(async (opts: { verbose?: boolean }) => {
      // A first Ctrl-C cancels the build (go is stopped, nothing half-built is left); a second
      // one quits at once. `on`, not `once`: execa's exit hook re-raises a signal nobody else handles.
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        out.info('canceling (press Ctrl-C again to quit at once)');
        controller.abort(new Error('interrupted'));
      };
      process.on('SIGINT', onSigint);
      try {
        const { built } = await runTask('install the sim binaries', installSimBinaries, {
          onEvent: taskEventPrinter(out, opts.verbose),
          signal: controller.signal,
        });
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
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
};
