// Shared bits of the kind unit tests: fixture paths, an engine probe built from recorded or
// hand-written engine answers, a silent task, and the real kind binary (installed into the cache
// by KartStream's own `kind install` code: go install from the Go module proxy).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineProbe } from '../../../core/backends/kind/engine-client.ts';
import type { EngineEndpoint } from '../../../core/backends/kind/engine-endpoint.ts';
import type { EngineInfo, EngineVersion } from '../../../core/backends/kind/engine-types.ts';
import { installKind } from '../../../core/backends/kind/install.ts';
import type { TaskReporter } from '../../../core/tasks/task.ts';

export const REPO = join(import.meta.dirname, '../../..');
export const FIXTURES = join(REPO, 'tests', 'fixtures');

export const readJson = <T>(...path: string[]): T =>
  JSON.parse(readFileSync(join(FIXTURES, ...path), 'utf8')) as T;

export const LOCAL_SOCKET: EngineEndpoint = {
  host: 'unix:///var/run/docker.sock',
  source: 'the default socket',
  provider: 'docker',
};

/** An answering engine, from a fixture dir under tests/fixtures/docker. */
export const engineFrom = (dir: string, endpoint: EngineEndpoint = LOCAL_SOCKET): EngineProbe => ({
  ok: true,
  endpoint,
  info: readJson<EngineInfo>('docker', dir, 'info.json'),
  version: readJson<EngineVersion>('docker', dir, 'version.json'),
});

export const silentTask = (): TaskReporter => ({
  step: () => undefined,
  progress: () => undefined,
  log: () => undefined,
  signal: new AbortController().signal,
  logPath: '',
});

/** A socket path where no engine can be: kind and docker run against it can never touch a real one. */
export const NO_ENGINE_HOST = 'unix:///nonexistent/kartstream-test/docker.sock';

let kindPath: Promise<string> | undefined;
/** The pinned kind binary (found, or built once with go install into the cache). */
export const realKind = (): Promise<string> => (kindPath ??= installKind(silentTask()).then((r) => r.path));
