// `kartstream gameday lint [--topology FILE] FILE|ID...`: validates game-day scripts without
// touching any cluster, their pools against the topology (default: infra/topology.yaml). Prints
// `ok <file> (<id>: N injects)` per good file and every problem of each bad one
// (`<file>:<line>: <path>: got ..., expected ...`). Exit code 2 when any is bad.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import { findGameday } from '../gameday/load-gameday.ts';
import { poolsOf } from '../scenarios/scenario-pools.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../topology/load-topology.ts';
import { displayPath } from '../validation/load-yaml-file.ts';
import type { Output } from './output.ts';

export const addGamedayLintCommand = (gamedayCommand: Command, out: Output): void => {
  gamedayCommand
    .command('lint')
    .description('check game-day scripts: every problem, with its file, line and field')
    .argument('<files...>', 'game-day YAML files or ids of gamedays/')
    .option(
      '--topology <file>',
      'the topology whose pools the scripts may name (default: infra/topology.yaml)',
    )
    .action(async (files: string[], opts: { topology?: string }) => {
      const topologyFile = resolve(opts.topology ?? DEFAULT_TOPOLOGY_FILE);
      const pools = poolsOf(topologyFile, await loadTopology(topologyFile));
      const bad: string[] = [];
      for (const file of files) {
        try {
          const { gameday, file: path } = await findGameday(file, pools);
          const n = gameday.injects.length;
          out.print(`ok ${displayPath(path)} (${gameday.id}: ${n} inject${n === 1 ? '' : 's'})`);
        } catch (error) {
          bad.push(file);
          const details = isKartStreamError(error) ? error.details : [];
          if (details.length > 0) for (const line of details) out.print(line);
          else out.print(`${file}: ${(error as Error).message ?? String(error)}`);
        }
      }
      if (bad.length > 0)
        throw new KartStreamError(
          'invalid-input',
          `${bad.length} of ${files.length} game-day file${files.length === 1 ? '' : 's'} ${bad.length === 1 ? 'has' : 'have'} problems: ${bad.join(', ')}`,
          { fix: 'correct the problems listed above (docs/gameday.md describes the format)' },
        );
    });
};
