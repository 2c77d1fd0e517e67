// How each sim component is built with Go from the module proxy: kwok and metrics-server by
// `go install`, the Kubernetes binaries and etcd through throwaway wrapper modules (see
// docs/sim-binaries.md).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prettyCommand, runCommand } from '../../exec/run-command.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import { SIM_COMPONENTS, type SimBinaryName, type SimComponent } from './binaries.ts';
import {
  ETCD_MAIN_GO,
  kubeLdflags,
  metricsServerLdflags,
  renderEtcdGoMod,
  renderKubeWrapperGoMod,
  renderToolsGo,
} from './go-modules.ts';

export interface BuildContext {
  go: string;
  /** The binaries of this component to build. */
  names: readonly SimBinaryName[];
  /** Where the binaries go; moved into the cache afterwards. */
  outDir: string;
  /** A scratch dir for a wrapper module. */
  workDir: string;
  task: TaskReporter;
}

const GO_ENV = { CGO_ENABLED: '0', GOWORK: 'off' };

const go = (ctx: BuildContext, args: string[], cwd: string, env: Record<string, string> = {}) => {
  ctx.task.log(`$ ${prettyCommand('go', args)}`);
  return runCommand(ctx.go, args, {
    cwd,
    env: { ...GO_ENV, ...env },
    log: (line) => ctx.task.log(line),
    signal: ctx.task.signal,
  });
};

const buildKwok = async (ctx: BuildContext): Promise<void> => {
  const { version } = SIM_COMPONENTS.kwok;
  const packages = ctx.names.map((name) => `sigs.k8s.io/kwok/cmd/${name}@${version}`);
  await go(ctx, ['install', ...packages], ctx.workDir, { GOBIN: ctx.outDir });
};

const buildKubernetes = async (ctx: BuildContext): Promise<void> => {
  const { version } = SIM_COMPONENTS.kubernetes;
  const download = await go(ctx, ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], ctx.workDir);
  const goModPath = (JSON.parse(download) as { GoMod?: string }).GoMod;
  if (!goModPath) throw new Error(`go mod download gave no GoMod path for k8s.io/kubernetes@${version}`);
  const upstreamGoMod = await readFile(goModPath, 'utf8');
  const all = SIM_COMPONENTS.kubernetes.binaries.map((name) => `k8s.io/kubernetes/cmd/${name}`);
  await writeFile(
    join(ctx.workDir, 'go.mod'),
    renderKubeWrapperGoMod({ upstreamGoMod, kubeVersion: version }),
  );
  await writeFile(join(ctx.workDir, 'tools.go'), renderToolsGo(all));
  await go(ctx, ['mod', 'tidy'], ctx.workDir);
  const packages = ctx.names.map((name) => `k8s.io/kubernetes/cmd/${name}`);
  const ldflags = kubeLdflags(version);
  await go(
    ctx,
    ['build', '-trimpath', '-ldflags', ldflags, '-o', `${ctx.outDir}/`, ...packages],
    ctx.workDir,
  );
};

const buildEtcd = async (ctx: BuildContext): Promise<void> => {
  await writeFile(join(ctx.workDir, 'go.mod'), renderEtcdGoMod(SIM_COMPONENTS.etcd.version));
  await writeFile(join(ctx.workDir, 'main.go'), ETCD_MAIN_GO);
  await go(ctx, ['mod', 'tidy'], ctx.workDir);
  await go(
    ctx,
    ['build', '-trimpath', '-ldflags', '-s -w', '-o', join(ctx.outDir, 'etcd'), '.'],
    ctx.workDir,
  );
};

// metrics-server publishes no release binaries; its module has no replace directives, so
// `go install` works. Its `--version` prints client-go's version variable, stamped here the way
// its Makefile does (unstamped it would say v0.0.0-master and never match the pin).
const buildMetricsServer = async (ctx: BuildContext): Promise<void> => {
  const { version } = SIM_COMPONENTS['metrics-server'];
  await go(
    ctx,
    [
      'install',
      '-trimpath',
      '-ldflags',
      metricsServerLdflags(version),
      `sigs.k8s.io/metrics-server/cmd/metrics-server@${version}`,
    ],
    ctx.workDir,
    { GOBIN: ctx.outDir },
  );
};

export const GO_BUILDERS: Record<SimComponent, (ctx: BuildContext) => Promise<void>> = {
  kwok: buildKwok,
  kubernetes: buildKubernetes,
  etcd: buildEtcd,
  'metrics-server': buildMetricsServer,
};
