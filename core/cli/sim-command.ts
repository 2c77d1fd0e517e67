// `kartstream sim install|bundle|import`: gets the sim backend's binaries into the cache (release
// downloads checked against their sha256, Go builds as the fallback), and moves them to machines
// without network as one bundle. Steps and progress go to stderr, the outcome to stdout; Ctrl-C
// cancels (a partial download resumes next time).
import type { Command } from 'commander';
import { dirname } from 'node:path';
import { simBinaryPath, SIM_BINARY_NAMES } from '../backends/sim/binaries.ts';
import { bundleSimBinaries, importSimBundle } from '../backends/sim/bundle.ts';
import { installSimBinaries } from '../backends/sim/install.ts';
import { renderProvenanceRows, simProvenanceRows } from '../backends/sim/provenance.ts';
import { runTask } from '../tasks/task.ts';
import { cancelOnInterrupt, taskEventPrinter } from './task-output.ts';
import type { Output } from './output.ts';

const cacheBin = () => dirname(dirname(simBinaryPath('kwok')));

// What is installed now and where each binary came from.
const printInstalled = async (out: Output): Promise<void> => {
  for (const line of renderProvenanceRows(await simProvenanceRows())) out.print(line);
};

export const addSimCommand = (program: Command, out: Output): void => {
  const sim = program.command('sim').description('the simulated backend (real control plane, kwok nodes)');
  sim
    .command('install')
    .description(
      'download the sim binaries (kwok, kube-apiserver, etcd, ...) from their official releases into the cache, sha256-checked; builds with Go ≥ 1.26 what has no release here',
    )
    .option('--from-source', 'build everything with Go instead of downloading')
    .option('--verbose', 'also print every download and go command and its output')
    .action(async (opts: { fromSource?: boolean; verbose?: boolean }) => {
      const { downloaded, built, skipped } = await cancelOnInterrupt(out, (signal) =>
        runTask(
          'install the sim binaries',
          (task) => installSimBinaries(task, { fromSource: opts.fromSource }),
          {
            onEvent: taskEventPrinter(out, opts.verbose),
            signal,
          },
        ),
      );
      if (downloaded.length === 0 && built.length === 0)
        out.print(
          skipped.length === 0
            ? `all ${SIM_BINARY_NAMES.length} sim binaries are already installed in ${cacheBin()}; nothing to build`
            : `the required sim binaries are already installed in ${cacheBin()}; nothing to build`,
        );
      else {
        if (downloaded.length > 0) out.print(`downloaded ${downloaded.join(', ')} into ${cacheBin()}`);
        if (built.length > 0) out.print(`built ${built.join(', ')} into ${cacheBin()}`);
      }
      for (const s of skipped) out.print(`left out ${s.name}: ${s.reason}`);
      await printInstalled(out);
    });
  sim
    .command('bundle')
    .description(
      'write the installed sim binaries and their sha256 into one tar.gz, for sim import elsewhere',
    )
    .requiredOption('--out <file>', 'the bundle to write, e.g. sim-bundle.tar.gz')
    .option('--verbose', 'also print every step')
    .action(async (opts: { out: string; verbose?: boolean }) => {
      const manifest = await cancelOnInterrupt(out, (signal) =>
        runTask('bundle the sim binaries', (task) => bundleSimBinaries(opts.out, task), {
          onEvent: taskEventPrinter(out, opts.verbose),
          signal,
        }),
      );
      out.print(
        `wrote ${manifest.binaries.length} sim binaries (${manifest.platform.os}/${manifest.platform.arch}) to ${opts.out}`,
      );
      for (const b of manifest.binaries)
        out.print(`  ${b.name.padEnd(24)} ${b.version.padEnd(9)} sha256 ${b.sha256}`);
    });
  sim
    .command('import')
    .description('check a bundle made by sim bundle and install its binaries (no network needed)')
    .argument('<file>', 'the bundle')
    .option('--verbose', 'also print every step')
    .action(async (file: string, opts: { verbose?: boolean }) => {
      const names = await cancelOnInterrupt(out, (signal) =>
        runTask('import the sim binaries', (task) => importSimBundle(file, task), {
          onEvent: taskEventPrinter(out, opts.verbose),
          signal,
        }),
      );
      out.print(`imported ${names.join(', ')} into ${cacheBin()}`);
      await printInstalled(out);
    });
};
