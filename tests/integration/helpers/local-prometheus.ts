// A real Prometheus (Debian's, as sim labs run it) for a test, scraping every second: the given
// scrape jobs, and rule files when given. Its TSDB lives in `dir`; stop() ends the process.
// And an exporter for it to scrape: a prom-client registry served on a free loopback port.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { freePort } from '../../../core/kube/free-port.ts';
import { findMonitoringBinaries } from '../../../core/monitoring/monitoring-binaries.ts';
import { PrometheusApi } from '../../../core/monitoring/prometheus-api.ts';

export interface LocalPrometheus {
  url: string;
  api: PrometheusApi;
  stop: () => Promise<void>;
}

export const startLocalPrometheus = async (
  dir: string,
  config: { scrape_configs: object[]; rule_files?: string[] },
): Promise<LocalPrometheus> => {
  const { prometheus: binary } = await findMonitoringBinaries();
  if (!binary)
    throw new Error('prometheus is not installed: apt-get install prometheus (or set KARTSTREAM_PROMETHEUS)');
  const port = await freePort();
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, ...config }));
  const child = execa(
    binary,
    [
      `--config.file=${file}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { reject: false, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    api: new PrometheusApi(url),
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
};

export interface LocalExporter {
  target: string;
  /** Stops answering: Prometheus' next scrape of it fails. */
  close: () => Promise<void>;
}

export const serveRegistry = async (registry: Registry): Promise<LocalExporter> => {
  const server = createServer((_req, res) => {
    void registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    target: `127.0.0.1:${port}`,
    close: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};
