// The lab life cycle on the command line: up, status, kubeconfig, down. The engine is imported
// when a command runs, so `--help` and light commands start fast.
import type { Command } from 'commander';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import type { LabSnapshot } from '../lab/lab-snapshot.ts';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { wholeNumberOption } from './number-option.ts';
import { outputFormat, type Output } from './output.ts';
import { cancelOnInterrupt, taskEventPrinter } from './task-output.ts';
import { table } from '../text/table.ts';

const renderSnapshot = (s: LabSnapshot): string => {
  const podsByNode = new Map<string, string[]>();
  for (const pod of s.pods)
    podsByNode.set(pod.node, [...(podsByNode.get(pod.node) ?? []), pod.workload || pod.name]);
  const nodeRows = s.nodes.map((n) => [
    n.pool,
    n.name,
    n.ready ? 'Ready' : 'NotReady',
    (n.fault ? `fault:${n.fault} ` : '') + (n.schedulable ? '' : 'cordoned'),
    (podsByNode.get(n.name) ?? []).sort().join(', '),
  ]);
  const pending = s.pods.filter((p) => !p.node);
  const workloadRows = s.workloads.map((w) => [
    w.name,
    w.pool,
    w.desired,
    w.available,
    w.ready ? 'yes' : 'no',
  ]);
  const lines = [
    `lab ${s.name} (${s.backend}), ${s.ready ? 'ready' : 'NOT ready'}${s.server ? `, API ${s.server}` : ''}`,
    '',
    table(['POOL', 'NODE', 'STATUS', 'NOTES', 'PODS'], nodeRows),
    '',
    table(['WORKLOAD', 'POOL', 'DESIRED', 'AVAILABLE', 'READY'], workloadRows),
  ];
  if (s.shopUrl) lines.push('', `The shop: ${s.shopUrl}`);
  if (s.monitoring) {
    const running = new Map((s.monitoring.processes ?? []).map((p) => [p.name, p.running]));
    const state = (name: string) => (running.get(name) === false ? ' (NOT running)' : '');
    lines.push(
      '',
      `Prometheus ${s.monitoring.prometheus}${state('prometheus')}`,
      `Alertmanager ${s.monitoring.alertmanager}${state('alertmanager')}`,
    );
  }
  if (pending.length > 0) {
    lines.push(
      '',
      'Pending pods:',
      ...pending.flatMap((p) => [
        `  ${p.name}: ${p.reason ?? 'not scheduled yet'}`,
        ...(p.unschedulable ?? []).map((u) => `    - ${u}`),
      ]),
    );
  }
  return lines.join('\n');
};

const kubectlHint = async (s: LabSnapshot): Promise<string> => {
  const kubectl = (await findSimBinaries()).found.kubectl?.path;
  const lines = [
    '',
    '',
    "Use kubectl against the lab (its context defaults to the shop's namespace):",
    `  export KUBECONFIG=${s.kubeconfig}`,
    `  ${kubectl ?? 'kubectl'} get pods -o wide`,
  ];
  if (kubectl)
    lines.push(`  (this kubectl matches the lab's Kubernetes version; the kubectl on PATH works too)`);
  return lines.join('\n');
};

export const addLabCommands = (program: Command, out: Output): void => {
  program
    .command('up')
    .description(
      'create a lab (or bring an existing one back): cluster with the four pools, the shop deployed and available',
    )
    .option('--backend <backend>', 'sim or kind (default: kind when a Docker engine answers, else sim)')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('--topology <file>', 'topology file (default: infra/topology.yaml)')
    .option('--api-port <port>', 'port of the Kubernetes API on 127.0.0.1 (default: a free one)')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--no-monitoring', 'skip Prometheus and Alertmanager (sim)')
    .option('--verbose', 'print every log line of the task')
    .action(
      async (opts: {
        backend?: string;
        name: string;
        topology?: string;
        apiPort?: string;
        output: string;
        verbose?: boolean;
        monitoring: boolean;
      }) => {
        const format = outputFormat(opts.output, ['table', 'json'] as const);
        const apiPort =
          opts.apiPort === undefined
            ? undefined
            : wholeNumberOption('--api-port', opts.apiPort, { min: 1, max: 65535, what: 'a port number' });
        const { upLab } = await import('../lab/up-lab.ts');
        const result = await cancelOnInterrupt(out, (signal) =>
          upLab(
            {
              name: opts.name,
              backend: opts.backend,
              topologyFile: opts.topology,
              apiPort,
              noMonitoring: !opts.monitoring,
            },
            { signal, onEvent: taskEventPrinter(out, opts.verbose) },
          ),
        );
        out.info(`backend: ${result.record.backend} (${result.backendReason})`);
        out.info(`task log: ${result.taskLog}`);
        if (format === 'json') out.print(JSON.stringify(result.snapshot, null, 2));
        else out.print(renderSnapshot(result.snapshot) + (await kubectlHint(result.snapshot)));
      },
    );

  program
    .command('status')
    .description('nodes by pool, workloads and pods of a lab')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (opts: { name: string; output: string }) => {
      const format = outputFormat(opts.output, ['table', 'json'] as const);
      const { labContext, requireLabRecord } = await import('../lab/lab-record.ts');
      const { labSnapshot } = await import('../lab/lab-snapshot.ts');
      const record = await requireLabRecord(checkLabName(opts.name));
      if (record.state === 'creating') {
        const { halfCreatedError, labLockHolder } = await import('../lab/lab-lock.ts');
        const holder = await labLockHolder(record.name);
        if (!holder) throw halfCreatedError(record.name);
        out.info(`lab ${record.name} is being created: \`${holder.command}\` (pid ${holder.pid}) is running`);
      }
      const snapshot = await labSnapshot(await labContext(record), record);
      out.print(format === 'json' ? JSON.stringify(snapshot, null, 2) : renderSnapshot(snapshot));
    });

  program
    .command('kubeconfig')
    .description("print the path of the lab's private kubeconfig")
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (opts: { name: string }) => {
      const { labKubeconfigPath, requireLabRecord } = await import('../lab/lab-record.ts');
      const record = await requireLabRecord(checkLabName(opts.name));
      out.print(labKubeconfigPath(record.name));
    });

  program
    .command('down')
    .description('stop every process of a lab and remove its files')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option(
      '--remove-deployed',
      'attached lab: also delete what `attach --deploy` applied (the cluster itself is never deleted)',
    )
    .action(async (opts: { name: string; removeDeployed?: boolean }) => {
      const { downLab } = await import('../lab/down-lab.ts');
      const result = await downLab(
        opts.name,
        { onEvent: taskEventPrinter(out) },
        { removeDeployed: opts.removeDeployed === true },
      );
      out.print(
        result === 'forgotten'
          ? `lab ${opts.name} is forgotten: KartStream's taints, cordons and pod faults are removed, the cluster runs on`
          : result
            ? `lab ${opts.name} is stopped and its files are removed`
            : `there is no lab named ${opts.name}; nothing to do`,
      );
    });

  program
    .command('attach')
    .description(
      'register a cluster that exists as a lab (backend external): checks the four pools and the shop, says what is missing',
    )
    .requiredOption('--kubeconfig <file>', "the cluster's kubeconfig")
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('--context <context>', "the kubeconfig's context to attach (default: its current context)")
    .option('--deploy', 'apply the shop and the in-cluster monitoring first')
    .option('--topology <file>', 'topology file (default: infra/topology.yaml)')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--verbose', 'print every log line of the task')
    .action(
      async (opts: {
        kubeconfig: string;
        name: string;
        context?: string;
        deploy?: boolean;
        topology?: string;
        output: string;
        verbose?: boolean;
      }) => {
        const format = outputFormat(opts.output, ['table', 'json'] as const);
        const { attachLab } = await import('../lab/attach-lab.ts');
        const result = await cancelOnInterrupt(out, (signal) =>
          attachLab(
            {
              name: opts.name,
              kubeconfig: opts.kubeconfig,
              context: opts.context,
              deploy: opts.deploy === true,
              topologyFile: opts.topology,
            },
            { signal, onEvent: taskEventPrinter(out, opts.verbose) },
          ),
        );
        out.info(`task log: ${result.taskLog}`);
        if (format === 'json') out.print(JSON.stringify(result.snapshot, null, 2));
        else out.print(renderSnapshot(result.snapshot) + (await kubectlHint(result.snapshot)));
      },
    );
};
