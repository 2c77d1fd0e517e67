// Whether a container engine answers (not just a client on PATH): decides kind vs sim, and the
// doctor reports it. One probe for both: dockerode's (kind/engine-client.ts), which resolves
// DOCKER_HOST and docker contexts and knows Podman's Docker-compatible socket.
import { findOnPath } from '../exec/find-on-path.ts';
import { probeEngine } from './kind/engine-client.ts';
import { engineDownFinding } from './kind/preflight-rules.ts';

export interface DockerEngineProbe {
  engine: boolean;
  /** The docker CLI on PATH, if any (shown by the doctor; the probe does not need it). */
  clientPath?: string;
  serverVersion?: string;
  /** Why there is no engine, in one line ("no Docker engine answers: <where> ..."). */
  problem?: string;
}

export const probeDockerEngine = async (): Promise<DockerEngineProbe> => {
  const [clientPath, probe] = await Promise.all([findOnPath('docker'), probeEngine()]);
  if (probe.ok) {
    const provider = probe.endpoint.provider === 'podman' ? 'Podman ' : '';
    const version = probe.version.Version ?? probe.info.ServerVersion ?? 'unknown version';
    return { engine: true, clientPath, serverVersion: `${provider}${version}` };
  }
  return { engine: false, clientPath, problem: engineDownFinding(probe).message };
};
