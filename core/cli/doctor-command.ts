// `kartstream doctor`: what this machine has (sim binaries, Go, kubectl, Docker engine, kind,
// Prometheus/Alertmanager) and what follows from it: which backend `up` would use and what the
// sim backend can and cannot do here. Text for people, `-o json` for scripts.
import type { Command } from 'commander';
import { describeError, KartStreamError } from '../errors/kartstream-error.ts';
import { runCommand } from '../exec/run-command.ts';
import {
  findSimBinaries,
  pinnedVersion,
  SIM_BINARY_NAMES,
  parseVersion,
  type SimBinaryName,
} from '../backends/sim/binaries.ts';
import { findOnPath } from '../backends/sim/find-on-path.ts';
import { findGo } from '../backends/sim/go-toolchain.ts';
import {
  kindDoctorSection,
  renderKindDoctorSection,
  type KindDoctorSection,
} from '../backends/kind/doctor-section.ts';
import { probeDockerEngine } from '../backends/docker-engine.ts';
import { outputFormat, type Output } from './output.ts';

export interface ToolStatus {
  path?: string;
  version?: string;
  problem?: string;
}

export interface SimBinaryStatus {
  name: SimBinaryName;
  pinned: string;
  found: boolean;
  path?: string;
  version?: string;
  lookedIn?: string[];
  reasons?: string[];
}

export interface DoctorReport {
  simBinaries: SimBinaryStatus[];
  go: ToolStatus & { usable: boolean };
  kubectl: ToolStatus;
  docker: ToolStatus & { engine: boolean; serverVersion?: string };
  kind: ToolStatus;
  kindPreflight: KindDoctorSection;
  prometheus: ToolStatus;
  alertmanager: ToolStatus;
  conclusion: {
    backend: 'kind' | 'sim';
    why: string;
    sim: { ready: boolean; can: string[]; cannot: string[] };
  };
}

const firstLine = (error: unknown) => {
  const details = error instanceof KartStreamError ? error.details.filter((d) => d.trim()) : [];
  return (details[0] ?? describeError(error).split('\n')[0] ?? '').trim();
};

// A tool on PATH (first of `names`) and the version it prints.
const probeTool = async (names: string[], args = ['--version']): Promise<ToolStatus> => {
  for (const name of names) {
    const path = await findOnPath(name);
    if (!path) continue;
    try {
      return { path, version: parseVersion(await runCommand(path, args, { timeoutMs: 10_000 })) };
    } catch (error) {
      return { path, problem: firstLine(error) };
    }
  }
  return { problem: `not on PATH (${names.join(' or ')})` };
};

// The same probe `up` uses to pick a backend, in the doctor's shape.
const probeDocker = async (): Promise<DoctorReport['docker']> => {
  const d = await probeDockerEngine();
  if (d.engine) return { path: d.clientPath, engine: true, serverVersion: d.serverVersion };
  return {
    path: d.clientPath,
    engine: false,
    problem: d.clientPath ? `no engine answers: ${d.problem}` : d.problem,
  };
};

export const collectDoctorReport = async (): Promise<DoctorReport> => {
  const [sim, go, kubectl, docker, kind, prometheus, alertmanager, kindPreflight] = await Promise.all([
    findSimBinaries(),
    findGo(),
    probeTool(['kubectl'], ['version', '--client']),
    probeDocker(),
    probeTool(['kind'], ['version']),
    probeTool(['prometheus']),
    probeTool(['prometheus-alertmanager', 'alertmanager']),
    kindDoctorSection(),
  ]);
  const simBinaries: SimBinaryStatus[] = SIM_BINARY_NAMES.map((name) => {
    const found = sim.found[name];
    const missing = sim.missing.find((m) => m.name === name);
    return found
      ? { name, pinned: pinnedVersion(name), found: true, ...found }
      : {
          name,
          pinned: pinnedVersion(name),
          found: false,
          lookedIn: missing?.lookedIn,
          reasons: missing?.reasons,
        };
  });
  const simReady = sim.missing.length === 0;
  const can: string[] = [];
  const cannot = [
    'run containers: pods are simulated by kwok (no images, no logs, no exec, no real traffic or app metrics)',
  ];
  if (simReady)
    can.push(
      'run a real control plane (kube-apiserver, etcd, kube-scheduler, kube-controller-manager) with kwok nodes',
      'scheduling by pool labels and taints, node failure and taint-based eviction, scale drills with hundreds of nodes',
    );
  else
    cannot.push(
      `start at all: ${sim.missing.length} sim binaries are missing (${go.ok ? 'run: npx kartstream sim install' : 'and there is no usable Go to build them; see npx kartstream sim install'})`,
    );
  if (prometheus.path && alertmanager.path)
    can.push('monitoring and alerting scenarios (Prometheus and Alertmanager on PATH)');
  else cannot.push('monitoring and alerting scenarios: Prometheus and/or Alertmanager are not on PATH');
  const backend = docker.engine ? 'kind' : 'sim';
  const why = docker.engine
    ? `a Docker engine answers (${docker.serverVersion})${kind.path ? '' : '; but kind is not on PATH'}`
    : 'no Docker engine answers';
  return {
    simBinaries,
    go: go.ok
      ? { usable: true, path: go.path, version: go.version }
      : { usable: false, path: go.path, version: go.version, problem: go.reason },
    kubectl,
    docker,
    kind,
    kindPreflight,
    prometheus,
    alertmanager,
    conclusion: { backend, why, sim: { ready: simReady, can, cannot } },
  };
};

const toolLine = (label: string, tool: ToolStatus, extra = '') =>
  `  ${label.padEnd(14)} ${tool.path ? `${tool.version ? `${tool.version} ` : ''}${tool.path}` : ''}${tool.problem ? `${tool.path ? ' — ' : ''}${tool.problem}` : ''}${extra}`;

export const renderDoctorReport = (r: DoctorReport): string => {
  const lines = ['sim binaries'];
  for (const b of r.simBinaries) {
    if (b.found) lines.push(`  ok       ${b.name.padEnd(24)} ${b.version} ${b.path}`);
    else lines.push(`  missing  ${b.name.padEnd(24)} ${b.pinned} — ${(b.reasons ?? []).join('; ')}`);
  }
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
