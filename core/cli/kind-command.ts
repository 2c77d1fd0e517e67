// `kartstream kind install`: the pinned kind into the cache (go install where Go is, else the
// sha256-checked release download). `kartstream kind preflight`: what the engine and the host
// offer against what the topology needs, each finding with its fix; exits 1 when `up` would stop.
import type { Command } from 'commander';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { installKind } from '../backends/kind/install.ts';
import { KIND_NODE_IMAGE, KIND_VERSION } from '../backends/kind/pins.ts';
import { kindPreflight, renderFindings } from '../backends/kind/preflight-probe.ts';
import { runTask } from '../tasks/task.ts';
import { loadTopology } from '../topology/load-topology.ts';
import { outputFormat, type Output } from './output.ts';
import { taskEventPrinter } from './task-output.ts';

export const addKindCommand = (program: Command, out: Output): void => {
  const kind = program
    .command('kind')
    .description(`the kind backend (real node containers; kind ${KIND_VERSION})`);
  kind
    .command('install')
    .description(
      `install kind ${KIND_VERSION} into the cache: go install where Go is, else the release download (sha256-checked)`,
    )
    .option('--verbose', 'also print the go output')
    .action(async (opts: { verbose?: boolean }) => {
      const result = await runTask('install kind', installKind, {
        onEvent: taskEventPrinter(out, opts.verbose),
      });
      const how = {
        found: 'already installed',
        go: 'built with go install',
        download: 'downloaded and sha256-checked',
      }[result.how];
      out.print(`kind ${KIND_VERSION} ${how}: ${result.path}\nnode image: ${KIND_NODE_IMAGE}`);
    });
  kind
    .command('preflight')
    .description('check the container engine and this host for a kind lab of the topology')
    .option('--topology <file>', 'topology file (default: infra/topology.yaml)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts: { topology?: string; output: string }) => {
      const format = outputFormat(opts.output, ['text', 'json'] as const);
      const report = await kindPreflight(await loadTopology(opts.topology));
      out.print(
        format === 'json'
          ? JSON.stringify({ ok: report.ok, findings: report.findings }, null, 2)
          : [
              `kind preflight: ${report.ok ? 'ok' : 'up --backend kind would stop here'}`,
              ...renderFindings(report.findings),
            ].join('\n'),
      );
      const errors = report.findings.filter((f) => f.severity === 'error');
      if (errors.length > 0)
        throw new KartStreamError(
          'backend-unavailable',
          `kind preflight: ${errors.length} finding(s) would stop up --backend kind`,
          {
            fix: errors[0]?.fix,
          },
        );
    });
};
