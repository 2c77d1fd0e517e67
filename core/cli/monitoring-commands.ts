// `kartstream alerts` and `kartstream query`: the lab's alerts and PromQL from the terminal.
import type { Command } from 'commander';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { checkLabName, DEFAULT_LAB_NAME, upCommand } from '../home/lab-name.ts';
import { wholeNumberOption } from './number-option.ts';
import { outputFormat, type Output } from './output.ts';
import { table } from '../text/table.ts';

const requireMonitoring = async (name: string) => {
  const { labContext, requireLabRecord } = await import('../lab/lab-record.ts');
  const { readLabMonitoring } = await import('../monitoring/lab-monitoring.ts');
  const record = await requireLabRecord(checkLabName(name));
  const monitoring = await readLabMonitoring(await labContext(record), record);
  if (!monitoring) {
    throw new KartStreamError('not-found', `lab ${name} runs without monitoring`, {
      fix: `start it with monitoring: ${upCommand(name)}`,
    });
  }
  return monitoring;
};

export const addMonitoringCommands = (program: Command, out: Output): void => {
  program
    .command('alerts')
    .description("the lab's alerts: firing, pending and resolved")
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (opts: { name: string; output: string }) => {
      const output = outputFormat(opts.output, ['table', 'json'] as const);
      const { labAlerts } = await import('../monitoring/lab-alerts.ts');
      const alerts = await labAlerts(await requireMonitoring(opts.name));
      if (output === 'json') return out.print(JSON.stringify(alerts, null, 2));
      if (alerts.length === 0) return out.print('no alerts: everything the rules watch is healthy');
      out.print(
        table(
          ['NAME', 'STATE', 'SEVERITY', 'POOL', 'SERVICE', 'SINCE', 'SUMMARY'],
          alerts.map((a) => [
            a.name,
            a.state + (a.suppressed ? ' (suppressed)' : ''),
            a.severity,
            a.pool,
            a.service,
            a.since,
            a.summary,
          ]),
        ),
      );
    });

  program
    .command('query')
    .description("run a PromQL query against the lab's Prometheus")
    .argument('<promql>', 'the query, e.g. kube_deployment_status_replicas_available')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (promql: string, opts: { name: string; output: string }) => {
      const output = outputFormat(opts.output, ['table', 'json'] as const);
      const { PrometheusApi } = await import('../monitoring/prometheus-api.ts');
      const result = await new PrometheusApi((await requireMonitoring(opts.name)).prometheus).query(promql);
      if (output === 'json') return out.print(JSON.stringify(result, null, 2));
      if (result.result.length === 0) return out.print('no data');
      out.print(
        table(
          ['SERIES', 'VALUE'],
          result.result.map((s) => [
            `${s.metric.__name__ ?? ''}{${Object.entries(s.metric)
              .filter(([k]) => k !== '__name__')
              .map(([k, v]) => `${k}="${v}"`)
              .join(', ')}}`,
            s.value[1],
          ]),
        ),
      );
    });

  // Started by `up` for sim labs; not for people.
  program
    .command('lab-agent', { hidden: true })
    .requiredOption('--kubeconfig <path>')
    .requiredOption('--port <port>')
    .requiredOption('--history <path>')
    .option('--process-dir <dir>', 'pid files of the processes that follow their pods')
    .option('--frontend-port <port>', "where the shop frontend's stand-in listens")
    .option('--pod-logs <dir>', "where the shop pods' log files go")
    .action(
      async (opts: {
        kubeconfig: string;
        port: string;
        history: string;
        processDir?: string;
        frontendPort?: string;
        podLogs?: string;
      }) => {
        const { runLabAgent } = await import('../monitoring/lab-agent.ts');
        await runLabAgent({
          kubeconfigPath: opts.kubeconfig,
          port: wholeNumberOption('--port', opts.port, { min: 0, max: 65535, what: 'a port number' }),
          alertHistoryPath: opts.history,
          podLogsDir: opts.podLogs,
          ...(opts.processDir ? { processDir: opts.processDir } : {}),
          ...(opts.frontendPort
            ? {
                frontendPort: wholeNumberOption('--frontend-port', opts.frontendPort, {
                  min: 0,
                  max: 65535,
                  what: 'a port number',
                }),
              }
            : {}),
        });
      },
    );
};
