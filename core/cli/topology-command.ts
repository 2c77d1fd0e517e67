// `kartstream topology render --target kind|sim`: prints what a backend would create.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { loadTopology, renderKindConfig, renderSimNodes } from '../topology/index.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { Output } from './output.ts';

const TARGETS = ['kind', 'sim'] as const;

export const addTopologyCommand = (program: Command, out: Output): void => {
  const topology = program.command('topology').description('inspect the node pools of infra/topology.yaml');
  topology
    .command('render')
    .description('print the kind cluster config or the simulated Node objects rendered from the topology')
    .requiredOption('--target <target>', `what to render: ${TARGETS.join(' or ')}`)
    .option('--topology <file>', 'topology file (default: infra/topology.yaml)')
    .option('--name <name>', 'lab (cluster) name', DEFAULT_LAB_NAME)
    .action(async (opts: { target: string; topology?: string; name: string }) => {
      if (!(TARGETS as readonly string[]).includes(opts.target)) {
        throw new KartStreamError('invalid-input', `unknown target ${JSON.stringify(opts.target)}`, {
          fix: `use --target ${TARGETS.join(' or --target ')}`,
        });
      }
      const name = checkLabName(opts.name);
      const loaded = await loadTopology(opts.topology);
      if (opts.target === 'kind') out.print(stringify(renderKindConfig(loaded, { name })));
      else
        out.print(
          renderSimNodes(loaded)
            .map((node) => stringify(node))
            .join('---\n'),
        );
    });
};
