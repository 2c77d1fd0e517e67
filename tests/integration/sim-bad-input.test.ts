// Bad input gets a clear message that names what, where and how to fix it, and creates nothing.
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathDirs } from '../../core/exec/find-on-path.ts';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

describe('bad input to the lab commands', () => {
  const temp = useTempHome();
  let busy: Server;
  let busyPort = 0;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => {
    busy.close();
    temp.cleanup();
  });

  const noLabCreated = () =>
    expect(existsSync(join(temp.home, 'labs')) ? readdirSync(join(temp.home, 'labs')) : []).toEqual([]);

  it('refuses an unknown backend and lists the ones there are', async () => {
    const r = await cli(['up', '--backend', 'docker']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: unknown backend "docker"');
    expect(r.stderr).toContain('fix: use --backend sim or --backend kind');
    noLabCreated();
  });

  it('refuses a lab name with spaces and suggests one that works', async () => {
    const r = await cli(['up', '--name', 'My Lab']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: invalid lab name "My Lab"');
    expect(r.stderr).toContain('fix: use --name my-lab');
    noLabCreated();
  });

  it('refuses a Kubernetes API port that is already in use, before creating anything', async () => {
    const r = await cli(['up', '--api-port', String(busyPort)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: port ${busyPort} on 127.0.0.1 (the Kubernetes API) is already in use`);
    expect(r.stderr).toMatch(/fix: .*--api-port/);
    noLabCreated();
  });

  it('refuses a broken topology file, naming the file, line and field', async () => {
    const r = await cli(['up', '--topology', join(REPO, 'tests/fixtures/topology/invalid-effect-typo.yaml')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /invalid-effect-typo\.yaml:\d+: pools\[2\]\.taint\.effect: got "NoSchedul", expected one of NoSchedule, PreferNoSchedule, NoExecute/,
    );
    noLabCreated();
  });

  it('says which sim binaries are missing, where it looked and how to get them, when they cannot be built', async () => {
    const emptyCache = mkdtempSync(join(tmpdir(), 'kartstream-empty-cache-'));
    const pathWithoutGo = pathDirs()
      .filter((dir) => !existsSync(join(dir, 'go')))
      .join(':');
    const r = await cli(['up', '--backend', 'sim', '--name', 'nobins'], {
      KARTSTREAM_CACHE: emptyCache,
      PATH: pathWithoutGo,
    });
    expect(r.exitCode).toBe(1);
    for (const name of ['kwokctl', 'kube-apiserver', 'etcd']) expect(r.stderr).toContain(name);
    expect(r.stderr).toContain(emptyCache);
    expect(r.stderr).toMatch(/Go/);
    expect(r.stderr).toMatch(/^fix: /m);
    noLabCreated();
  });

  it('names the labs there are when asked about one that does not exist', async () => {
    const r = await cli(['status', '--name', 'nosuch']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: there is no lab named "nosuch"');
    expect(r.stderr).toContain('fix: create one with `npx kartstream up --name nosuch`');
  });
});
