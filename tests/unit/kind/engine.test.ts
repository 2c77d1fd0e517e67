// Finding and asking the engine. The docker context files are made by the real docker CLI
// (`docker context create` needs no engine), and the probe runs real dockerode against real
// sockets: one that does not exist, one nobody listens on, and one that answers with the
// hand-written Engine API fixtures (a stand-in for the API's answers only; no engine is claimed).
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeEngine } from '../../../core/backends/kind/engine-client.ts';
import { resolveEngineEndpoint, type EndpointEnv } from '../../../core/backends/kind/engine-endpoint.ts';
import { evaluatePreflight, kindNeeds } from '../../../core/backends/kind/preflight.ts';
import { findOnPath } from '../../../core/exec/find-on-path.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';
import { FIXTURES } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kartstream-engine-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const env = (over: Partial<EndpointEnv> & { env?: Record<string, string | undefined> }): EndpointEnv => ({
  env: {},
  home: join(scratch, 'home'),
  platform: 'linux',
  exists: () => false,
  readFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  ...over,
});

const dockerCli = await findOnPath('docker');

describe('resolving the engine endpoint', () => {
  it('DOCKER_HOST wins, and a podman socket there means the podman provider', () => {
    expect(resolveEngineEndpoint(env({ env: { DOCKER_HOST: 'tcp://10.0.0.2:2376' } }))).toMatchObject({
      host: 'tcp://10.0.0.2:2376',
      source: 'DOCKER_HOST',
      provider: 'docker',
    });
    expect(
      resolveEngineEndpoint(env({ env: { DOCKER_HOST: 'unix:///run/user/1000/podman/podman.sock' } }))
        .provider,
    ).toBe('podman');
  });

  it('falls back to the default socket, then to Podman’s rootless socket', () => {
    expect(resolveEngineEndpoint(env({ exists: (p) => p === '/var/run/docker.sock' }))).toMatchObject({
      host: 'unix:///var/run/docker.sock',
      provider: 'docker',
    });
    const podman = '/run/user/1000/podman/podman.sock';
    expect(
      resolveEngineEndpoint(env({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, exists: (p) => p === podman })),
    ).toMatchObject({ host: `unix://${podman}`, provider: 'podman', source: "Podman's socket" });
  });

  it.skipIf(!dockerCli)(
    '[needs the docker CLI] reads the current context that `docker context create/use` wrote',
    async () => {
      const config = join(scratch, 'docker-config');
      const cli = (...args: string[]) =>
        execa('docker', args, { env: { DOCKER_CONFIG: config, DOCKER_HOST: undefined } });
      await cli(
        'context',
        'create',
        'lab-desktop',
        '--docker',
        'host=unix:///Users/ana/.docker/run/docker.sock',
      );
      await cli('context', 'use', 'lab-desktop');
      const inspected = JSON.parse((await cli('context', 'inspect', 'lab-desktop')).stdout) as {
        Endpoints: { docker: { Host: string } };
      }[];
      const endpoint = resolveEngineEndpoint(env({ env: { DOCKER_CONFIG: config } }));
      expect(endpoint).toMatchObject({
        host: 'unix:///Users/ana/.docker/run/docker.sock',
        source: 'docker context lab-desktop',
        provider: 'docker',
      });
      expect(endpoint.host).toBe(inspected[0]?.Endpoints.docker.Host);
      // DOCKER_CONTEXT picks a context by name, as the CLI does; "default" means the default socket.
      expect(
        resolveEngineEndpoint(env({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default' } })).source,
      ).toBe('the default socket');
    },
  );
});

describe('probing with dockerode', () => {
  it('a socket that does not exist: no-socket', async () => {
    const probe = await probeEngine({
      host: `unix://${join(scratch, 'none.sock')}`,
      source: 'test',
      provider: 'docker',
    });
    expect(probe).toMatchObject({ ok: false, problem: { kind: 'no-socket' } });
  });

  it('a socket nobody listens on any more: refused', async () => {
    // What a crashed engine leaves: a bound socket file with no listener (Node would unlink its
    // own socket file on close, so Python binds it and exits).
    const path = join(scratch, 'stale.sock');
    await execa('python3', [
      '-c',
      'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])',
      path,
    ]);
    const probe = await probeEngine({ host: `unix://${path}`, source: 'test', provider: 'docker' });
    expect(probe).toMatchObject({ ok: false, problem: { kind: 'refused' } });
  });

  it('an API that answers with the fixture info and version is judged like the fixture', async () => {
    const path = join(scratch, 'api.sock');
    const answers: Record<string, string> = {
      _ping: 'OK',
      version: readFileSync(join(FIXTURES, 'docker', 'desktop-too-little-memory', 'version.json'), 'utf8'),
      info: readFileSync(join(FIXTURES, 'docker', 'desktop-too-little-memory', 'info.json'), 'utf8'),
    };
    const server: Server = createServer((req, res) => {
      const key = (req.url ?? '').split('?')[0]?.split('/').pop() ?? '';
      res.writeHead(answers[key] ? 200 : 404, {
        'Content-Type': key === '_ping' ? 'text/plain' : 'application/json',
      });
      res.end(answers[key] ?? '{"message":"not here"}');
    });
    await new Promise<void>((r) => server.listen(path, r));
    try {
      const probe = await probeEngine({ host: `unix://${path}`, source: 'test', provider: 'docker' });
      expect(probe.ok).toBe(true);
      const findings = evaluatePreflight({
        probe,
        cli: { name: 'docker', path: '/usr/bin/docker' },
        hostPlatform: 'darwin',
        port: { address: '127.0.0.1', port: 8080, free: true },
        needs: kindNeeds(await loadTopology()),
      });
      expect(findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['memory']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
