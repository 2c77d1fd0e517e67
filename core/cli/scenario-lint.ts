// `kartstream scenario lint [--topology FILE] FILE...`: validates scenario files without touching
// any cluster, their pools against the topology (default: infra/topology.yaml). Prints
// `ok <file> (<id>: N steps)` for each good file and every problem of each bad one
// (`<file>:<line>: <path>: got ..., expected ...`); all files are checked. Exit code: 0 when all
// are good; 2 when any is bad (the CLI's code for invalid input: the error is 'invalid-input').
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import { loadScenarioFile } from '../scenarios/load-scenario.ts';
import { poolsOf } from '../scenarios/scenario-pools.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../topology/load-topology.ts';
import { displayPath } from '../validation/load-yaml-file.ts';
import type { Output } from './output.ts';

export const addScenarioLintCommand = (scenarioCommand: Command, out: Output): void => {
  scenarioCommand
    .command('lint')
    .description('check scenario files: every problem, with its file, line and field')
    .argument('<files...>', 'scenario YAML files')
    .option(
      '--topology <file>',
      'the topology whose pools the scenarios may name (default: infra/topology.yaml)',
    )
    .action(async (files: string[], opts: { topology?: string }) => {
      const topologyFile = resolve(opts.topology ?? DEFAULT_TOPOLOGY_FILE);
      const pools = poolsOf(topologyFile, await loadTopology(topologyFile));
      const bad: string[] = [];
      for (const file of files) {
        try {
          const { scenario } = await loadScenarioFile(file, pools);
          const steps = scenario.steps.length;
          out.print(`ok ${displayPath(file)} (${scenario.id}: ${steps} step${steps === 1 ? '' : 's'})`);
        } catch (error) {
          bad.push(displayPath(file));
          // Problems already start with `<file>:<line>:`; a file that cannot be read has none.
          const details = isKartStreamError(error) ? error.details : [];
          if (details.length > 0) for (const line of details) out.print(line);
          else out.print(`${displayPath(file)}: ${(error as Error).message ?? String(error)}`);
        }
      }
      if (bad.length > 0) {
        throw new KartStreamError(
          'invalid-input',
          `${bad.length} of ${files.length} scenario file${files.length === 1 ? '' : 's'} ${bad.length === 1 ? 'has' : 'have'} problems: ${bad.join(', ')}`,
          { fix: 'correct the problems listed above (scenarios/README.md describes the format)' },
        );
      }
    });
};
