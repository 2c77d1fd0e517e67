// The lab agent: a small long-lived process per sim lab. It keeps a watch store on the lab and
// serves (1) the kube-state-metrics series on /metrics for the lab's Prometheus, and (2) a
// webhook on /alerts where the lab's Alertmanager posts firing and resolved alerts, which are
// appended to the lab's alert history (JSON Lines) that `kartstream alerts` and scenarios read;
// (3) it keeps Prometheus and Alertmanager in step with their pods (pod-fate.ts); and (4) it runs
// the shop's traffic model (core/traffic), whose Istio metrics share /metrics, whose CPU per pod
// becomes the pods' simulated usage, whose failing calls are logged by their callers
// (failure-logs.ts), and whose customer impact so far is on /traffic; (5) it sets pods Ready again
// once their node is back after its heartbeat stopped, the kubelet's part KWOK does not play
// (backends/sim/pod-readiness-sync.ts).
import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { kubeClients } from '../kube/kube-client.ts';
import { WatchStore } from '../kube/watch-store.ts';
import { followPodReadiness } from '../backends/sim/pod-readiness-sync.ts';
import { SHOP_NAMESPACE } from '../topology/shop.ts';
import { startFrontendStandIn } from '../traffic/frontend-standin.ts';
import { startShopTraffic } from '../traffic/shop-traffic.ts';
import { ksmRegistry } from './ksm-exporter.ts';
import { failureLogBook } from './failure-logs.ts';
import { followPodFate } from './pod-fate.ts';
import { startShopPodLogs } from './pod-logs.ts';

export interface AlertmanagerWebhook {
  status: 'firing' | 'resolved';
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    fingerprint?: string;
  }[];
}

/** One line of the alert history. */
export interface AlertEvent {
  at: string;
  status: 'firing' | 'resolved';
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

const MAX_BODY = 1024 * 1024;

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export interface AgentOptions {
  kubeconfigPath: string;
  port: number;
  alertHistoryPath: string;
  /** Where the monitoring processes' pid files are: they follow their pods' fate. */
  processDir?: string;
  /** Where the shop frontend's stand-in listens (kwok forwards the frontend pods' port here). */
  frontendPort?: number;
  /** Where the shop pods' log files go (sim: KWOK serves them to `kubectl logs`); none if unset. */
  podLogsDir?: string;
}

// Runs until the process is told to stop (SIGTERM/SIGINT).
export const runLabAgent = async (options: AgentOptions): Promise<void> => {
  const clients = kubeClients(options.kubeconfigPath);
  const store = new WatchStore(clients);
  await store.start();
  const registry = ksmRegistry(store);
  const podLogs = await startShopPodLogs(store, options.kubeconfigPath, options.podLogsDir);
  const failures = failureLogBook();
  const traffic = await startShopTraffic(store, clients.config, registry, {
    namespace: SHOP_NAMESPACE,
    ...(podLogs
      ? {
          onHop: failures.see,
          onStep: () => {
            for (const [pod, lines] of failures.take()) podLogs.append(SHOP_NAMESPACE, pod, lines);
          },
        }
      : {}),
    onError: (error) => process.stderr.write(`pod usage: ${(error as Error).message ?? String(error)}\n`),
  });
  const frontend =
    options.frontendPort === undefined
      ? undefined
      : await startFrontendStandIn(options.frontendPort, traffic.probe);
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const stopFollowing = options.processDir ? followPodFate(store, options.processDir, log) : () => undefined;
  const stopReadiness = followPodReadiness(store, clients, log);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(await registry.metrics());
    } else if (req.method === 'POST' && req.url === '/alerts') {
      const payload = JSON.parse(await readBody(req)) as AlertmanagerWebhook;
      const at = new Date().toISOString();
      const lines = payload.alerts.map((a) =>
        JSON.stringify({
          at,
          status: a.status,
          name: a.labels.alertname ?? '',
          labels: a.labels,
          annotations: a.annotations,
          startsAt: a.startsAt,
          endsAt: a.endsAt,
        } satisfies AlertEvent),
      );
      if (lines.length > 0)
        await appendFile(options.alertHistoryPath, `${lines.join('\n')}\n`, { mode: 0o600 });
      res.writeHead(204).end();
    } else if (req.method === 'GET' && req.url === '/traffic') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(traffic.impact()));
    } else if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200).end('ok');
    } else res.writeHead(404).end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(400).end(String((error as Error).message)));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: options.port }, resolve));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  stopFollowing();
  stopReadiness();
  server.close();
  frontend?.close();
  await traffic.stop();
  await podLogs?.stop();
  await store.stop();
};
