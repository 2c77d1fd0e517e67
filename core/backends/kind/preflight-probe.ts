// Gathers what the kind preflight judges (the engine through dockerode, the CLI on PATH, the
// inotify limits in /proc, the shop's host port, free disk where images live) and judges it.
// Shown by `doctor` and `kind preflight`, and run by `up --backend kind` before anything is made.
import { readFile, statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import type { Topology } from '../../topology/schema.ts';
import { findOnPath } from '../../exec/find-on-path.ts';
import { probeEngine, type EngineProbe } from './engine-client.ts';
import type { EngineProvider } from './engine-endpoint.ts';
import { evaluatePreflight, kindNeeds, type Finding, type PreflightInputs } from './preflight.ts';

export interface PreflightReport {
  findings: Finding[];
  probe: EngineProbe;
  /** Which CLI and kind provider go with this engine. */
  provider: EngineProvider;
  ok: boolean;
}

/** Podman, by its socket or by its own name in the version's components; else docker. */
export const engineProvider = (probe: EngineProbe): EngineProvider =>
  probe.endpoint.provider === 'podman' ||
  (probe.ok && (probe.version.Components ?? []).some((c) => /podman/i.test(c.Name)))
    ? 'podman'
    : 'docker';

/** Reads /proc/sys/fs/inotify/{max_user_watches,max_user_instances} under `root`. */
export const readInotify = async (root = '/proc/sys/fs/inotify'): Promise<PreflightInputs['inotify']> => {
  const read = async (file: string) => {
    const text = await readFile(`${root}/${file}`, 'utf8').catch(() => undefined);
    const value = text === undefined ? Number.NaN : Number.parseInt(text.trim(), 10);
    return Number.isFinite(value) ? value : undefined;
  };
  const [maxUserWatches, maxUserInstances] = await Promise.all([
    read('max_user_watches'),
    read('max_user_instances'),
  ]);
  return maxUserWatches === undefined && maxUserInstances === undefined
    ? undefined
    : { maxUserWatches, maxUserInstances };
};

/** Whether address:port can be bound now (what kind's port mapping will need). */
export const checkPortFree = (address: string, port: number): Promise<PreflightInputs['port']> =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ address, port, free: false, problem: error.code === 'EADDRINUSE' ? 'in use' : error.code }),
    );
    server.listen({ host: address, port }, () => server.close(() => resolve({ address, port, free: true })));
  });

const freeBytesAt = async (path: string): Promise<PreflightInputs['disk']> => {
  for (const candidate of [path, dirname(path)]) {
    const stats = await statfs(candidate).catch(() => undefined);
    if (stats) return { path: candidate, freeBytes: stats.bavail * stats.bsize };
  }
  return undefined;
};

// The engine runs on this host's kernel (not in Docker Desktop's or Podman machine's VM).
const engineOnThisKernel = (probe: EngineProbe): boolean =>
  process.platform === 'linux' &&
  probe.ok &&
  probe.endpoint.host.startsWith('unix://') &&
  !/Docker Desktop|podman machine/i.test(probe.info.OperatingSystem ?? '');

/** Runs every check for a topology; never throws. */
export const kindPreflight = async (topology: Topology, probe?: EngineProbe): Promise<PreflightReport> => {
  const engine = probe ?? (await probeEngine());
  const local = engineOnThisKernel(engine);
  const access = topology.frontendAccess;
  const provider = engineProvider(engine);
  const [cliPath, inotify, port, disk] = await Promise.all([
    findOnPath(provider),
    process.platform === 'linux' && (local || !engine.ok) ? readInotify() : Promise.resolve(undefined),
    checkPortFree(access.listenAddress, access.hostPort),
    local && engine.ok && engine.info.DockerRootDir
      ? freeBytesAt(engine.info.DockerRootDir)
      : Promise.resolve(undefined),
  ]);
  const findings = evaluatePreflight({
    probe: engine,
    cli: { name: provider, path: cliPath },
    hostPlatform: process.platform,
    inotify,
    port,
    disk,
    needs: kindNeeds(topology),
  });
  return { findings, probe: engine, provider, ok: findings.every((f) => f.severity !== 'error') };
};

/** One line per finding, as `doctor` and `kind preflight` print them. */
export const renderFindings = (findings: readonly Finding[], indent = '  '): string[] =>
  findings.flatMap((f) => [
    `${indent}${f.severity.padEnd(8)} ${f.message}`,
    ...(f.fix && f.severity !== 'ok' ? [`${indent}         fix: ${f.fix}`] : []),
  ]);

/** The preflight error for `up`: every blocking finding, each with its fix. */
export const preflightError = (report: PreflightReport): KartStreamError => {
  const errors = report.findings.filter((f) => f.severity === 'error');
  const first = errors[0];
  return new KartStreamError(
    'backend-unavailable',
    `kind preflight failed: ${first?.message ?? 'unknown problem'}`,
    {
      details: [
        ...errors.slice(1).map((f) => `${f.message} (fix: ${f.fix})`),
        ...report.findings
          .filter((f) => f.severity === 'warning')
          .map((f) => `warning: ${f.message} (fix: ${f.fix})`),
      ],
      fix: [first?.fix, 'or use --backend sim (a real control plane with simulated nodes; no Docker needed)']
        .filter(Boolean)
        .join('; '),
    },
  );
};
