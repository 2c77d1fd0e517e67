// A tiny HTTP server that stands in for a Kubernetes API server in unit tests of the kube layer,
// and a kubeconfig that points at it. Each test answers requests its own way; closing the server
// also ends the watch requests a test held open.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a watch store lists, by path, with the kind of list each answers. */
export const STORE_LISTS: Record<string, string> = {
  '/api/v1/nodes': 'NodeList',
  '/api/v1/pods': 'PodList',
  '/apis/apps/v1/deployments': 'DeploymentList',
  '/api/v1/events': 'EventList',
};

export interface FakeApiServer {
  /** A kubeconfig file whose current context is this server. */
  kubeconfig: string;
  close: () => Promise<void>;
}

export const startFakeApiServer = async (answer: RequestListener): Promise<FakeApiServer> => {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'kartstream-fake-api-'));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'),
  );
  return {
    kubeconfig,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
