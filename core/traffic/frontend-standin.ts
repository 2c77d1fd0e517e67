// The sim shop's frontend, as reached through a port-forward (kwok sends the frontend pods' port
// 8080 here): each request is routed as the real frontend routes it and answered with the status
// the traffic model gives that page on the cluster as it is now, after the time it would take
// (capped, so a hung dependency shows as a slow answer rather than a stuck check).
import { createServer, type Server } from 'node:http';
import { routeOf } from './frontend-routes.ts';
import type { PageName } from './shop-calls.ts';

/** The longest a stand-in answer waits: gRPC's connect timeout, after which the real one fails too. */
const MAX_WAIT_MS = 20_000;

export type Probe = (page: PageName) => { status: number; latencyMs: number };

export const startFrontendStandIn = async (port: number, probe: Probe): Promise<Server> => {
  const server = createServer((req, res) => {
    const route = routeOf(req.method ?? 'GET', req.url ?? '/');
    if ('healthz' in route) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    if ('status' in route)
      return void res.writeHead(route.status, { 'Content-Type': 'text/plain' }).end(`${route.reason}\n`);
    const answer = probe(route.page);
    const timer = setTimeout(
      () => {
        res.writeHead(answer.status, {
          'Content-Type': 'text/plain',
          'X-KartStream-Simulated': `page=${route.page}; latency-ms=${Math.round(answer.latencyMs)}`,
        });
        res.end(
          answer.status === 200
            ? `${route.page}: ok\n`
            : `${route.page}: HTTP ${answer.status} (simulated)\n`,
        );
      },
      Math.min(answer.latencyMs, MAX_WAIT_MS),
    );
    req.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, resolve);
  });
  return server;
};
