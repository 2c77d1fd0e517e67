// `kartstream traffic graph`: the service graph's edges from the terminal, as the app draws them.
import type { Command } from 'commander';
import type { GraphEdge } from '../contract/graph-types.ts';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { table } from '../text/table.ts';
import { outputFormat, type Output } from './output.ts';

const percent = (ratio: number | null) => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);

const state = (e: GraphEdge) =>
  e.failing ? 'FAILING' : e.idle ? 'idle' : e.rps === null && e.errorRatio === null ? 'no data' : 'ok';

export const addTrafficCommand = (program: Command, out: Output): void => {
  const traffic = program.command('traffic').description("the shop's traffic, from the lab's Prometheus");
  traffic
    .command('graph')
    .description('the calls between the shop’s workloads: requests/s, error %, p95, by pool')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (opts: { name: string; output: string }) => {
      const output = outputFormat(opts.output, ['table', 'json'] as const);
      const { labServiceGraph } = await import('../server/services/traffic-service.ts');
      const graph = await labServiceGraph(checkLabName(opts.name));
      if (output === 'json') return out.print(JSON.stringify(graph, null, 2));
      if (!graph.metricsPresent)
        out.info(
          `no traffic data: Prometheus has no istio_requests_total samples in the last ${graph.window}`,
        );
      const pool = new Map(graph.nodes.map((n) => [n.id, n.pool]));
      out.print(
        table(
          ['SOURCE', 'DESTINATION', 'POOLS', 'REQ/S', 'ERRORS', 'P95', 'STATE'],
          graph.edges.map((e) => [
            e.source,
            e.destination,
            `${pool.get(e.source) ?? ''}→${pool.get(e.destination) ?? ''}`,
            e.rps === null ? (e.metrics === 'inferred' ? 'TCP' : '—') : e.rps.toFixed(2),
            percent(e.errorRatio),
            e.p95Ms === null ? '—' : `${Math.round(e.p95Ms)} ms`,
            state(e),
          ]),
        ),
      );
      out.print(`error objective ${percent(graph.objective)} per edge, rates over ${graph.window}`);
    });
};
