// `kartstream logs DEPLOYMENT`: the logs of every pod of a Deployment, merged in time order, each
// line prefixed like `kubectl logs --prefix` ([pod/NAME/CONTAINER]); --follow keeps printing new
// lines (and pods that start later) until Ctrl-C; --previous shows crashed containers' last words.
import type { Command } from 'commander';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import type { PodLogError, PodLogLine } from '../kube/deployment-logs.ts';
import { wholeNumberOption } from './number-option.ts';
import type { Output } from './output.ts';

interface LogsOptions {
  name: string;
  namespace?: string;
  follow?: boolean;
  previous?: boolean;
  tail: string;
}

const prefixed = (line: PodLogLine) => `[pod/${line.pod}/${line.container}] ${line.text}`;
const unreadable = (error: PodLogError) =>
  `cannot read the log of pod ${error.pod} (container ${error.container}): ${error.message}`;

/** Aborts `controller` on SIGINT/SIGTERM, so a followed stream ends cleanly; returns the undo. */
const untilInterrupted = (controller: AbortController): (() => void) => {
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return () => {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  };
};

export const addLogsCommand = (program: Command, out: Output): void => {
  program
    .command('logs')
    .description("every pod of a Deployment's logs, merged in time order, with the pod name on each line")
    .argument('<deployment>', 'a Deployment of the shop, e.g. frontend')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('-n, --namespace <namespace>', "namespace (default: the lab's shop namespace)")
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-p, --previous', "the previous (crashed) container's log: its last words")
    .option('--tail <lines>', 'lines from the end of each container log', '200')
    .action(async (deployment: string, opts: LogsOptions) => {
      const tailLines = wholeNumberOption('--tail', opts.tail, { min: 1, max: 5000 });
      if (opts.follow && opts.previous)
        throw new KartStreamError('invalid-input', '--follow and --previous do not go together', {
          fix: 'a previous container has ended and prints nothing more: drop one of them',
        });
      const { openLab } = await import('../lab/open-lab.ts');
      const { kubeClients } = await import('../kube/kube-client.ts');
      const { followDeploymentLogs, readDeploymentLogs } = await import('../kube/deployment-logs.ts');
      const { record, lab } = await openLab(opts.name);
      const clients = kubeClients(lab.kubeconfigPath);
      const namespace = opts.namespace ?? record.namespace;

      if (!opts.follow) {
        const logs = await readDeploymentLogs(clients, namespace, deployment, {
          tailLines,
          previous: opts.previous ?? false,
        });
        for (const error of logs.errors) out.info(unreadable(error));
        if (logs.pods.length === 0) out.info(`Deployment ${deployment} has no pods`);
        if (logs.lines.length > 0) out.print(logs.lines.map(prefixed).join('\n'));
        return;
      }
      const controller = new AbortController();
      const release = untilInterrupted(controller);
      try {
        await followDeploymentLogs(
          clients,
          namespace,
          deployment,
          {
            onLines: (lines) => lines.length > 0 && out.print(lines.map(prefixed).join('\n')),
            onError: (error) => out.info(unreadable(error)),
          },
          controller.signal,
          { tailLines },
        );
      } finally {
        release();
      }
    });
};
