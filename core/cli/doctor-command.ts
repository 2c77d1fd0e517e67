// `kartstream doctor`: the doctor's report (core/doctor) as text for people, `-o json` for scripts.
import type { Command } from 'commander';
import { collectDoctorReport, type DoctorReport, type ToolStatus } from '../doctor/doctor-report.ts';
import { renderKindDoctorSection } from '../backends/kind/doctor-section.ts';
import { isOptionalBinary } from '../backends/sim/binaries.ts';
import { renderProvenanceRows } from '../backends/sim/provenance.ts';
import { outputFormat, type Output } from './output.ts';

const toolLine = (label: string, tool: ToolStatus, extra = '') =>
  `  ${label.padEnd(14)} ${tool.path ? `${tool.version ? `${tool.version} ` : ''}${tool.path}` : ''}${tool.problem ? `${tool.path ? ' — ' : ''}${tool.problem}` : ''}${extra}`;

export const renderDoctorReport = (r: DoctorReport): string => {
  const lines = ['sim binaries'];
  for (const b of r.simBinaries) {
    if (b.found) lines.push(`  ok       ${b.name.padEnd(24)} ${b.version} ${b.path}`);
    else
      lines.push(
        `  missing  ${b.name.padEnd(24)} ${b.pinned} — ${(b.reasons ?? []).join('; ')}${isOptionalBinary(b.name) ? ' (optional: labs start without it)' : ''}`,
      );
  }
  const provenance = renderProvenanceRows(r.simProvenance);
  if (provenance.length > 0) lines.push('sim binary provenance', ...provenance);
  lines.push('tools');
  lines.push(toolLine('go', r.go, r.go.usable ? '' : ' (cannot build the sim binaries)'));
  lines.push(toolLine('kubectl', r.kubectl));
  lines.push(toolLine('docker', r.docker, r.docker.engine ? ` (engine ${r.docker.serverVersion})` : ''));
  lines.push(toolLine('kind', r.kind));
  lines.push(toolLine('prometheus', r.prometheus));
  lines.push(toolLine('alertmanager', r.alertmanager));
  lines.push(...renderKindDoctorSection(r.kindPreflight));
  lines.push('conclusion');
  lines.push(`  up would use the ${r.conclusion.backend} backend: ${r.conclusion.why}`);
  lines.push(`  sim backend ${r.conclusion.sim.ready ? 'is ready' : 'is NOT ready'}`);
  for (const c of r.conclusion.sim.can) lines.push(`    can: ${c}`);
  for (const c of r.conclusion.sim.cannot) lines.push(`    cannot: ${c}`);
  return lines.join('\n');
};

export const addDoctorCommand = (program: Command, out: Output): void => {
  program
    .command('doctor')
    .description('check what this machine has for each backend and what `up` would use')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts: { output: string }) => {
      const format = outputFormat(opts.output, ['text', 'json'] as const);
      const report = await collectDoctorReport();
      out.print(format === 'json' ? JSON.stringify(report, null, 2) : renderDoctorReport(report));
    });
};
