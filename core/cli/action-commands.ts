// Free-play actions on a lab, for learners and for scenario solutions:
//   kartstream node fail|heal NODE...   kartstream zone fail|heal ZONE   kartstream pool scale POOL --nodes N
//   kartstream rules add FILE
import type { Command } from 'commander';
import { DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { NODE_COUNT, wholeNumberOption } from './number-option.ts';
import type { Output } from './output.ts';
import { taskEventPrinter } from './task-output.ts';

// What a failed node does next: the backend's own note on failNode where it has one (kind pauses
// the container, an attached cluster uses a stand-in), else the sim's NotReady.
const failedText = (notes: readonly string[]): string => {
  const note = notes.find((n) => n.startsWith('failNode: '));
  return note
    ? `failed (${note.slice('failNode: '.length)})`
    : 'failed (it will turn NotReady in a few seconds)';
};

export const addActionCommands = (program: Command, out: Output): void => {
  const node = program.command('node').description('break and repair nodes of a lab');
  for (const verb of ['fail', 'heal'] as const) {
    node
      .command(verb)
      .description(
        verb === 'fail'
          ? 'make nodes stop reporting Ready, as if their kubelet died'
          : 'bring failed nodes back',
      )
      .argument('<nodes...>', 'node names, e.g. backend-1')
      .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
      .action(async (nodes: string[], opts: { name: string }) => {
        const { openLab } = await import('../lab/open-lab.ts');
        const { lab, backend } = await openLab(opts.name);
        for (const n of nodes) {
          await (verb === 'fail' ? backend.failNode(lab, n) : backend.healNode(lab, n));
          out.print(`${n}: ${verb === 'fail' ? failedText(backend.capabilities().notes) : 'healed'}`);
        }
      });
  }

  const zone = program.command('zone').description('take down and bring back a whole zone of a lab');
  for (const verb of ['fail', 'heal'] as const) {
    zone
      .command(verb)
      .description(
        verb === 'fail'
          ? 'make every node of a zone, across pools, stop reporting Ready (a zone outage)'
          : 'bring the nodes of a zone back',
      )
      .argument('<zone>', 'a zone letter of the topology, e.g. a (or its name, e.g. eu-west-1a)')
      .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
      .action(async (letter: string, opts: { name: string }) => {
        const { openLab } = await import('../lab/open-lab.ts');
        const { kubeClients } = await import('../kube/kube-client.ts');
        const { nodesInZone, zonesOfNodes } = await import('../topology/zones.ts');
        const { KartStreamError } = await import('../errors/kartstream-error.ts');
        const { lab, backend } = await openLab(opts.name);
        const nodes = (await kubeClients(lab.kubeconfigPath).core.listNode()).items;
        const targets = nodesInZone(nodes, letter);
        if (targets.length === 0)
          throw new KartStreamError('invalid-input', `no node of lab ${lab.name} is in zone ${letter}`, {
            fix: `use one of its zones: ${zonesOfNodes(nodes).join(', ') || 'none'}`,
          });
        for (const n of targets)
          await (verb === 'fail' ? backend.failNode(lab, n) : backend.healNode(lab, n));
        out.print(
          `zone ${letter}: ${targets.join(', ')} ${verb === 'fail' ? failedText(backend.capabilities().notes) : 'healed'}`,
        );
      });
  }

  program
    .command('pool')
    .description('node pools of a lab')
    .command('scale')
    .description('set the number of nodes of a pool (0 for idle hours)')
    .argument('<pool>', 'frontend, backend, database or monitoring')
    .requiredOption('--nodes <n>', 'the number of nodes')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (pool: string, opts: { nodes: string; name: string }) => {
      const nodes = wholeNumberOption('--nodes', opts.nodes, NODE_COUNT);
      const { openLab } = await import('../lab/open-lab.ts');
      const { runTask } = await import('../tasks/task.ts');
      const { lab, backend } = await openLab(opts.name);
      await runTask(`Scale pool ${pool} to ${nodes}`, (task) => backend.scalePool(lab, pool, nodes, task), {
        onEvent: taskEventPrinter(out),
      });
      out.print(`pool ${pool} now has ${nodes} node${nodes === 1 ? '' : 's'}`);
    });

  program
    .command('rules')
    .description("the lab's alert rules")
    .command('add')
    .description('check a Prometheus rule file, add it to the lab and reload Prometheus')
    .argument('<file>', 'a Prometheus rule file (groups: ...)')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (file: string, opts: { name: string }) => {
      const { openLab } = await import('../lab/open-lab.ts');
      const { addLabRules } = await import('../monitoring/lab-rules.ts');
      const { lab, record, backend } = await openLab(opts.name);
      const added = await addLabRules(lab, file, {
        monitoring: record.monitoring,
        placement: backend.monitoring,
      });
      out.print(`added ${added}; Prometheus reloaded its rules`);
    });
};
