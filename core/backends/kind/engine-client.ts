// dockerode, pointed at the resolved engine, and the probe that asks it who it is: ping, version
// and info with a short timeout. A failure is classified (no socket, refused, no permission,
// timeout) so the preflight can say how to fix it.
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { resolveEngineEndpoint, type EngineEndpoint } from './engine-endpoint.ts';
import type { EngineInfo, EngineVersion } from './engine-types.ts';

/** A dockerode client for an endpoint (DOCKER_HOST is left to docker-modem, which reads its TLS env). */
export const dockerClient = (
  endpoint: EngineEndpoint = resolveEngineEndpoint(),
  timeoutMs = 10_000,
): Docker => {
  if (endpoint.source === 'DOCKER_HOST') return new Docker({ timeout: timeoutMs });
  const url = new URL(endpoint.host.replace(/^npipe:\/\/\/?/, 'npipe://'));
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname, timeout: timeoutMs });
  if (url.protocol === 'npipe:')
    return new Docker({ socketPath: '//./pipe/docker_engine', timeout: timeoutMs });
  if (url.protocol === 'ssh:')
    return new Docker({
      protocol: 'ssh',
      host: url.hostname,
      port: Number(url.port || 22),
      username: url.username || undefined,
      timeout: timeoutMs,
    });
  // docker-modem takes the PEM contents, not the paths of a context's TLS files.
  const tls = endpoint.tls;
  const pem = (file?: string) => (file ? readFileSync(file) : undefined);
  return new Docker({
    protocol: tls?.cert ? 'https' : 'http',
    host: url.hostname,
    port: Number(url.port || (tls?.cert ? 2376 : 2375)),
    timeout: timeoutMs,
    ...(tls?.ca ? { ca: pem(tls.ca) } : {}),
    ...(tls?.cert ? { cert: pem(tls.cert), key: pem(tls.key) } : {}),
  });
};

export type EngineProblemKind =
  'no-socket' | 'refused' | 'not-answering' | 'permission' | 'timeout' | 'other';

export interface EngineProblem {
  kind: EngineProblemKind;
  message: string;
}

export type EngineProbe =
  | { ok: true; endpoint: EngineEndpoint; info: EngineInfo; version: EngineVersion }
  | { ok: false; endpoint: EngineEndpoint; problem: EngineProblem };

/** Sorts a connection error (dockerode's, or the docker CLI's stderr) into what can be done about it. */
export const classifyEngineError = (error: unknown): EngineProblem => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT' || /no such file or directory/i.test(message)) return { kind: 'no-socket', message };
  if (code === 'EACCES' || /permission denied/i.test(message)) return { kind: 'permission', message };
  if (code === 'ECONNREFUSED' || /connection refused/i.test(message)) return { kind: 'refused', message };
  // The docker CLI says this for a missing socket and a refused one alike.
  if (/Cannot connect to the Docker daemon|Is the docker daemon running\?/i.test(message))
    return { kind: 'not-answering', message };
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(message)) return { kind: 'timeout', message };
  return { kind: 'other', message };
};

/** Asks the engine for its version and info; never throws. */
export const probeEngine = async (
  endpoint: EngineEndpoint = resolveEngineEndpoint(),
  timeoutMs = 5_000,
): Promise<EngineProbe> => {
  try {
    const docker = dockerClient(endpoint, timeoutMs);
    await docker.ping();
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    return { ok: true, endpoint, info: info as EngineInfo, version: version as unknown as EngineVersion };
  } catch (error) {
    return { ok: false, endpoint, problem: classifyEngineError(error) };
  }
};
