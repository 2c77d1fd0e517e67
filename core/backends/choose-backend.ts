// Picks the backend for `up`: the one asked for, else kind where a Docker engine answers, else
// sim. The reason for the pick is kept so the CLI and the UI can show it.
import type { BackendName, ClusterBackend } from './cluster-backend.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { probeDockerEngine } from './docker-engine.ts';
import { externalBackend } from './external/backend.ts';
import { kindBackend } from './kind/backend.ts';
import { simBackend } from './sim/backend.ts';

export const LOCAL_BACKENDS = ['sim', 'kind'] as const;

export interface BackendChoice {
  backend: ClusterBackend;
  reason: string;
}

// The backend object for a backend name that was already chosen (e.g. read from a lab record).
export const backendByName = (name: BackendName): ClusterBackend => {
  if (name === 'sim') return simBackend();
  if (name === 'kind') return kindBackend();
  if (name === 'external') return externalBackend();
  throw new KartStreamError('corrupt-record', `there is no backend named ${JSON.stringify(name)}`, {
    fix: 'use sim or kind with `kartstream up`, or attach a cluster with `kartstream attach`',
  });
};

export const chooseBackend = async (requested?: string): Promise<BackendChoice> => {
  if (requested !== undefined && !(LOCAL_BACKENDS as readonly string[]).includes(requested)) {
    throw new KartStreamError('invalid-input', `unknown backend ${JSON.stringify(requested)}`, {
      fix: `use --backend ${LOCAL_BACKENDS.join(' or --backend ')} (or leave it out to pick automatically); a cluster that exists is attached with \`kartstream attach\`, EKS is reached with \`kartstream promote\``,
    });
  }
  if (requested === 'sim') return { backend: simBackend(), reason: 'asked for with --backend sim' };
  // Asked for by name, kind is used even without an engine: its preflight then says what is missing.
  if (requested === 'kind') return { backend: kindBackend(), reason: 'asked for with --backend kind' };
  const docker = await probeDockerEngine();
  if (!docker.engine)
    return {
      backend: simBackend(),
      reason: `${docker.problem ?? 'no Docker engine answers'}, so the simulated cluster is used`,
    };
  return {
    backend: kindBackend(),
    reason: `a Docker engine answers (${docker.serverVersion}), so kind runs the lab in real containers`,
  };
};
