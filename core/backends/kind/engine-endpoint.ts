// Which container engine to talk to, found the way the docker CLI finds it: DOCKER_HOST, else the
// current docker context (DOCKER_CONTEXT or ~/.docker/config.json), else the default socket; and
// where none of those exist, Podman's socket (rootless, then rootful).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type EngineProvider = 'docker' | 'podman';

export interface EngineEndpoint {
  /** e.g. unix:///var/run/docker.sock or tcp://10.0.0.2:2376 */
  host: string;
  /** Where the host came from, said to the user: "DOCKER_HOST", "docker context desktop-linux"... */
  source: string;
  /** Which CLI and kind provider go with it (Podman's socket → podman). */
  provider: EngineProvider;
  /** TLS files of a docker context, when it has them. */
  tls?: { ca?: string; cert?: string; key?: string };
}

export interface EndpointEnv {
  env: Record<string, string | undefined>;
  home: string;
  platform: NodeJS.Platform;
  exists: (path: string) => boolean;
  readFile: (path: string) => string | undefined;
}

const realEnv = (): EndpointEnv => ({
  env: process.env,
  home: homedir(),
  platform: process.platform,
  exists: existsSync,
  readFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
});

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
export const WINDOWS_DOCKER_PIPE = 'npipe:////./pipe/docker_engine';

const dockerConfigDir = (e: EndpointEnv) => e.env.DOCKER_CONFIG ?? join(e.home, '.docker');

/** A context's metadata lives under contexts/meta/<sha256 of its name>/meta.json. */
const contextHost = (e: EndpointEnv, name: string): EngineEndpoint | undefined => {
  const digest = createHash('sha256').update(name).digest('hex');
  const text = e.readFile(join(dockerConfigDir(e), 'contexts', 'meta', digest, 'meta.json'));
  if (!text) return undefined;
  const meta = JSON.parse(text) as { Endpoints?: { docker?: { Host?: string } } };
  const host = meta.Endpoints?.docker?.Host;
  if (!host) return undefined;
  const tlsDir = join(dockerConfigDir(e), 'contexts', 'tls', digest, 'docker');
  const file = (f: string) => (e.exists(join(tlsDir, f)) ? join(tlsDir, f) : undefined);
  const tls = { ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem') };
  return {
    host,
    source: `docker context ${name}`,
    provider: /podman/.test(host) ? 'podman' : 'docker',
    ...(tls.ca || tls.cert ? { tls } : {}),
  };
};

const currentContext = (e: EndpointEnv): string | undefined => {
  if (e.env.DOCKER_CONTEXT) return e.env.DOCKER_CONTEXT;
  const text = e.readFile(join(dockerConfigDir(e), 'config.json'));
  if (!text) return undefined;
  try {
    return (JSON.parse(text) as { currentContext?: string }).currentContext;
  } catch {
    return undefined;
  }
};

/** Resolves the engine endpoint without contacting it. */
export const resolveEngineEndpoint = (e: EndpointEnv = realEnv()): EngineEndpoint => {
  const dockerHost = e.env.DOCKER_HOST;
  if (dockerHost)
    return {
      host: dockerHost,
      source: 'DOCKER_HOST',
      provider: /podman/.test(dockerHost) ? 'podman' : 'docker',
    };
  const context = currentContext(e);
  if (context && context !== 'default') {
    const found = contextHost(e, context);
    if (found) return found;
  }
  if (e.platform === 'win32')
    return { host: WINDOWS_DOCKER_PIPE, source: 'the default pipe', provider: 'docker' };
  if (e.exists(DEFAULT_DOCKER_SOCKET) || e.platform === 'darwin')
    return { host: `unix://${DEFAULT_DOCKER_SOCKET}`, source: 'the default socket', provider: 'docker' };
  const runtimeDir = e.env.XDG_RUNTIME_DIR;
  const podman = [
    ...(runtimeDir ? [join(runtimeDir, 'podman', 'podman.sock')] : []),
    '/run/podman/podman.sock',
  ].find((p) => e.exists(p));
  if (podman) return { host: `unix://${podman}`, source: "Podman's socket", provider: 'podman' };
  return { host: `unix://${DEFAULT_DOCKER_SOCKET}`, source: 'the default socket', provider: 'docker' };
};
