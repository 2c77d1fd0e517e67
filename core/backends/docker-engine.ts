// Whether a Docker engine answers (not just the client): decides kind vs sim.
import { runCommand } from '../exec/run-command.ts';
import { findOnPath } from '../exec/find-on-path.ts';

export interface DockerEngineProbe {
  engine: boolean;
  clientPath?: string;
  serverVersion?: string;
  /** Why there is no engine, in one line. */
  problem?: string;
}

export const probeDockerEngine = async (): Promise<DockerEngineProbe> => {
  const clientPath = await findOnPath('docker');
  if (!clientPath) return { engine: false, problem: 'no docker client on PATH' };
  try {
    const serverVersion = (
      await runCommand(clientPath, ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 5_000 })
    ).trim();
    return serverVersion
      ? { engine: true, clientPath, serverVersion }
      : { engine: false, clientPath, problem: 'docker info gave no server version' };
  } catch (error) {
    const detail =
      (error as { details?: string[] }).details?.find((d) => d.trim()) ?? (error as Error).message;
    return { engine: false, clientPath, problem: detail.trim() };
  }
};
