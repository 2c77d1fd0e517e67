// Every kind call KartStream makes, as an argv built in one place (the tests hold each one to the
// real kind binary's flags), and the one runner: execa via runCommand, every line into the task log.
import { prettyCommand, runCommand } from '../../exec/run-command.ts';
import { CONTROL_PLANE_WAIT } from './pins.ts';
import type { EngineProvider } from './engine-endpoint.ts';

export const kindArgs = {
  /** Creates the cluster from a config file; the kubeconfig goes to a private file, not ~/.kube. */
  create: (o: { name: string; config: string; image: string; kubeconfig: string; retain?: boolean }) => [
    'create',
    'cluster',
    '--name',
    o.name,
    '--config',
    o.config,
    '--image',
    o.image,
    '--wait',
    CONTROL_PLANE_WAIT,
    '--kubeconfig',
    o.kubeconfig,
    ...(o.retain ? ['--retain'] : []),
  ],
  /** Idempotent: no error when the cluster does not exist. */
  delete: (o: { name: string; kubeconfig: string }) => [
    'delete',
    'cluster',
    '--name',
    o.name,
    '--kubeconfig',
    o.kubeconfig,
  ],
  getClusters: () => ['get', 'clusters'],
  getNodes: (name: string) => ['get', 'nodes', '--name', name],
  /** The admin kubeconfig on stdout (the host's view: https://127.0.0.1:<port>). */
  getKubeconfig: (name: string) => ['get', 'kubeconfig', '--name', name],
  /** Copies host images into every node (or only `nodes`). */
  loadImages: (o: { name: string; images: readonly string[]; nodes?: readonly string[] }) => [
    'load',
    'docker-image',
    ...o.images,
    '--name',
    o.name,
    ...(o.nodes && o.nodes.length > 0 ? ['--nodes', o.nodes.join(',')] : []),
  ],
  exportLogs: (o: { name: string; dir: string }) => ['export', 'logs', o.dir, '--name', o.name],
};

/** The environment kind runs with: Podman needs kind's (experimental) podman provider. */
export const kindEnv = (provider: EngineProvider): Record<string, string> =>
  provider === 'podman' ? { KIND_EXPERIMENTAL_PROVIDER: 'podman' } : { KIND_EXPERIMENTAL_PROVIDER: 'docker' };

export interface KindRunOptions {
  provider: EngineProvider;
  log?: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs kind, streaming its output into `log`; returns stdout. */
export const runKind = (
  binary: string,
  args: readonly string[],
  options: KindRunOptions,
): Promise<string> => {
  options.log?.(`$ ${prettyCommand('kind', args)}`);
  return runCommand(binary, args, {
    env: kindEnv(options.provider),
    log: options.log,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });
};
