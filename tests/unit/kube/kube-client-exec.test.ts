// A kubeconfig whose user is an exec credential plugin (a promoted lab's): every client of the
// lab shares one run of the plugin (also many requests at once) until its credential expires, and a rewritten kubeconfig is
// read again. A local HTTP server stands in for the API server and records the bearer tokens.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeClients } from '../../../core/kube/kube-client.ts';

let dir = '';
let server: Server;
let url = '';
const tokens: string[] = [];

// A plugin that counts its runs in `runs` and prints a token that expires at `expires`.
const writeKubeconfig = (file: string, token: string, expires: Date) => {
  const credential = JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    kind: 'ExecCredential',
    status: { token, expirationTimestamp: expires.toISOString() },
  });
  const user = {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'sh',
      args: ['-c', `echo run >> '${join(dir, 'runs')}'; echo '${credential}'`],
    },
  };
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
};

const runs = () => readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n').length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-client-exec-'));
  server = createServer((req, res) => {
    tokens.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeClients with an exec credential plugin', () => {
  it('runs the plugin once for every client of the file until the file changes', async () => {
    const file = join(dir, 'fresh');
    writeKubeconfig(file, 'first', new Date(Date.now() + 10 * 60_000));
    await kubeClients(file).core.listNode();
    await kubeClients(file).core.listNode();
    expect(runs()).toBe(1);
    expect(tokens.slice(-2)).toEqual(['Bearer first', 'Bearer first']);

    writeKubeconfig(file, 'second-token', new Date(Date.now() + 10 * 60_000));
    await kubeClients(file).core.listNode();
    expect(runs()).toBe(2);
    expect(tokens.at(-1)).toBe('Bearer second-token');
  });

  it('runs the plugin once for many requests at the same moment', async () => {
    const file = join(dir, 'busy');
    const before = runs();
    writeKubeconfig(file, 'busy', new Date(Date.now() + 10 * 60_000));
    await Promise.all(Array.from({ length: 8 }, () => kubeClients(file).core.listNode()));
    expect(runs()).toBe(before + 1);
    expect(tokens.slice(-8)).toEqual(Array.from({ length: 8 }, () => 'Bearer busy'));
  });

  it('runs the plugin again once its credential has expired', async () => {
    const file = join(dir, 'expired');
    const before = runs();
    writeKubeconfig(file, 'stale', new Date(Date.now() - 1_000));
    await kubeClients(file).core.listNode();
    await kubeClients(file).core.listNode();
    expect(runs()).toBe(before + 2);
  });
});
