// The `lint` subcommand shared by scenarios and game days: every file checked against the
// topology's pools (default: infra/topology.yaml), `ok <file> (<summary>)` for each good one and
// every problem of each bad one (`<file>:<line>: <path>: got ..., expected ...`). Exit code 2
// (the CLI's code for invalid input) when any file is bad.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import { poolsOf } from '../scenarios/scenario-pools.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../topology/load-topology.ts';
import { displayPath } from '../validation/load-yaml-file.ts';
import type { Output } from './output.ts';

export interface LintKind {
  /** `scenario`, `game-day`: used in the messages. */
  noun: string;
  /** What the `<files...>` argument takes. */
  argument: string;
  /** Where the format is described, for the fix. */
  docs: string;
  /** Loads and checks one file (or id); returns its shown path and the summary after `ok`. */
  check(file: string, pools: ReturnType<typeof poolsOf>): Promise<{ path: string; summary: string }>;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const addLintCommand = (parent: Command, out: Output, kind: LintKind): void => {
  parent
    .command('lint')
    .description(`check ${kind.noun} files: every problem, with its file, line and field`)
    .argument('<files...>', kind.argument)
    .option('--topology <file>', `the topology whose pools the files may name (default: infra/topology.yaml)`)
    .action(async (files: string[], opts: { topology?: string }) => {
      const topologyFile = resolve(opts.topology ?? DEFAULT_TOPOLOGY_FILE);
      const pools = poolsOf(topologyFile, await loadTopology(topologyFile));
      const bad: string[] = [];
      for (const file of files) {
        try {
          const { path, summary } = await kind.check(file, pools);
          out.print(`ok ${displayPath(path)} (${summary})`);
        } catch (error) {
          bad.push(displayPath(file));
          // Problems already start with `<file>:<line>:`; a file that cannot be read has none.
          const details = isKartStreamError(error) ? error.details : [];
          if (details.length > 0) for (const line of details) out.print(line);
          else out.print(`${displayPath(file)}: ${(error as Error).message ?? String(error)}`);
        }
      }
      if (bad.length > 0)
        throw new KartStreamError(
          'invalid-input',
          `${bad.length} of ${plural(files.length, `${kind.noun} file`)} ${bad.length === 1 ? 'has' : 'have'} problems: ${bad.join(', ')}`,
          { fix: `correct the problems listed above (${kind.docs} describes the format)` },
        );
    });
};
