// The doctor: what this machine has (sim binaries, Go, kubectl, a Docker engine, kind,
// Prometheus/Alertmanager) and what follows from it: which backend `up` would use and what the
// sim backend can and cannot do here. The CLI (`kartstream doctor`) and the server both show it.
import { simProvenanceRows, type ProvenanceRow } from '../backends/sim/provenance.ts';
import { describeError, KartStreamError } from '../errors/kartstream-error.ts';
import { runCommand } from '../exec/run-command.ts';
import {
  findSimBinaries,
  missingRequired,
  pinnedVersion,
  SIM_BINARY_NAMES,
  parseVersion,
  type SimBinaryName,
} from '../backends/sim/binaries.ts';
import { findOnPath } from '../exec/find-on-path.ts';
import { findGo } from '../backends/sim/go-toolchain.ts';
import { kindDoctorSection, type KindDoctorSection } from '../backends/kind/doctor-section.ts';
import { probeDockerEngine } from '../backends/docker-engine.ts';

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
  /** Where each installed sim binary came from (download, build, import) and its sha256. */
  simProvenance: ProvenanceRow[];
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

// The same probe `up` uses to pick a backend (dockerode's), in the doctor's shape.
const probeDocker = async (): Promise<DoctorReport['docker']> => {
  const d = await probeDockerEngine();
  if (d.engine) return { path: d.clientPath, engine: true, serverVersion: d.serverVersion };
  return { path: d.clientPath, engine: false, problem: d.problem };
};

/** Everything the doctor looks at, and its conclusion. */
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
  const simProvenance = await simProvenanceRows();
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
  const required = missingRequired(sim);
  const simReady = required.length === 0;
  const metricsServer = sim.found['metrics-server'];
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
      `start at all: ${required.length} sim binaries are missing (${go.ok ? 'run: npx kartstream sim install' : 'and there is no usable Go to build them; see npx kartstream sim install'})`,
    );
  if (simReady && metricsServer)
    can.push(
      'kubectl top and CPU/memory per node and pod on the map (metrics-server, usage simulated by kwok)',
    );
  else if (simReady)
    cannot.push(
      `kubectl top or usage on the map: metrics-server is not installed (${go.ok ? 'run: npx kartstream sim install' : 'it has no release binaries; building it needs Go ≥ 1.26'})`,
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
    simProvenance,
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
