// The preflight's vocabulary: a finding, what a topology needs from the engine, and the finding
// for an engine that does not answer (with the fix that fits why it does not).
import type { Topology } from '../../topology/schema.ts';
import type { EngineProbe } from './engine-client.ts';

export const GIB = 1024 ** 3;

export interface Finding {
  id: string;
  severity: 'ok' | 'warning' | 'error';
  message: string;
  /** How to fix it (every warning and error has one). */
  fix?: string;
}

export interface KindNeeds {
  nodes: number;
  workers: number;
  memoryBytes: number;
  minCpus: number;
  wantCpus: number;
}

// kind sets no per-node limits (every node sees the engine's whole memory), so what a lab needs is
// the sum of what runs: a control plane (~1.5 GiB: etcd, apiserver, controllers), a kubelet and
// containerd per worker (~0.5 GiB), and the shop's and monitoring's requests (~2.5 GiB). For the
// default topology that is 7 GiB, in line with kind's quick start (give Docker Desktop 6-8 GB).
const CONTROL_PLANE_BYTES = 1.5 * GIB;
const WORKER_BYTES = 0.5 * GIB;
const WORKLOADS_BYTES = 2.5 * GIB;

/** What a topology needs from the engine. */
export const kindNeeds = (topology: Topology): KindNeeds => {
  const workers = topology.pools.reduce((sum, p) => sum + p.nodes, 0);
  const controlPlanes = topology.controlPlane.nodes;
  return {
    nodes: controlPlanes + workers,
    workers,
    memoryBytes: controlPlanes * CONTROL_PLANE_BYTES + workers * WORKER_BYTES + WORKLOADS_BYTES,
    minCpus: 2,
    wantCpus: 4,
  };
};

const START_ENGINE =
  'start the engine: Docker Desktop (open it), or on Linux `sudo systemctl start docker`; for Podman `systemctl --user start podman.socket`; or point DOCKER_HOST at an engine that runs';

/** The finding for an engine that does not answer. */
export const engineDownFinding = (probe: Extract<EngineProbe, { ok: false }>): Finding => {
  const { endpoint, problem } = probe;
  const where = `${endpoint.host} (${endpoint.source})`;
  switch (problem.kind) {
    case 'no-socket':
      return {
        id: 'engine',
        severity: 'error',
        message: `no Docker engine answers: ${where} does not exist`,
        fix: START_ENGINE,
      };
    case 'refused':
      return {
        id: 'engine',
        severity: 'error',
        message: `no Docker engine answers: ${where} refuses connections`,
        fix: START_ENGINE,
      };
    case 'not-answering':
      return {
        id: 'engine',
        severity: 'error',
        message: `no Docker engine answers at ${where}`,
        fix: START_ENGINE,
      };
    case 'permission':
      return {
        id: 'engine',
        severity: 'error',
        message: `the Docker engine at ${where} refuses this user: permission denied`,
        fix: 'add yourself to the docker group: `sudo usermod -aG docker $USER`, then log out and in again (or use rootless Docker)',
      };
    case 'timeout':
      return {
        id: 'engine',
        severity: 'error',
        message: `the Docker engine at ${where} does not respond in time`,
        fix: 'restart the engine (Docker Desktop: Troubleshoot → Restart; Linux: `sudo systemctl restart docker`)',
      };
    default:
      return {
        id: 'engine',
        severity: 'error',
        message: `no Docker engine answers at ${where}: ${problem.message}`,
        fix: START_ENGINE,
      };
  }
};
