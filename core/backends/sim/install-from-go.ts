// `sim install` with Go (the fallback, or --from-source): builds sim binaries from the Go module
// proxy into the versioned cache. Each component is built into a staging dir next to the cache and then
// renamed into place, so an interrupted build never leaves a half binary that looks installed.
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKartStreamError, KartStreamError } from '../../errors/kartstream-error.ts';
import { cacheHome } from '../../home/paths.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import {
  SIM_COMPONENT_NAMES,
  SIM_COMPONENTS,
  simComponentDir,
  type SimBinaryName,
  type SimComponent,
} from './binaries.ts';
import { GO_BUILDERS } from './go-builders.ts';
import { recordProvenance } from './provenance.ts';

// Rough share of a cold build, for the progress bar (measured: kwok 3m19s, kube 6m12s, etcd 58s;
// metrics-server took 1.4× kwok's time when both were built on the same loaded machine).
const WEIGHT: Record<SimComponent, number> = { kwok: 200, kubernetes: 370, etcd: 60, 'metrics-server': 280 };

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

// Staging dirs left by a build that was killed outright (SIGKILL, power loss). Only old ones go:
// a young one may belong to an install running right now in another process.
const removeStaleStaging = async (binRoot: string): Promise<void> => {
  const entries = await readdir(binRoot).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith('.build-'))) {
    const info = await stat(join(binRoot, entry)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 6 * 3600_000)
      await rm(join(binRoot, entry), { recursive: true, force: true });
  }
};

// Builds one component's missing binaries and renames them into its versioned cache dir.
const buildComponent = async (
  component: SimComponent,
  names: readonly SimBinaryName[],
  goPath: string,
  task: TaskReporter,
): Promise<void> => {
  const binRoot = join(cacheHome(), 'bin');
  await mkdir(binRoot, { recursive: true });
  await removeStaleStaging(binRoot);
  const outDir = await mkdtemp(join(binRoot, `.build-${component}-`));
  const workDir = await mkdtemp(join(tmpdir(), `kartstream-${component}-`));
  try {
    await GO_BUILDERS[component]({ go: goPath, names, outDir, workDir, task });
    const finalDir = simComponentDir(component);
    await mkdir(finalDir, { recursive: true });
    for (const name of names) {
      await chmod(join(outDir, name), 0o755);
      await rename(join(outDir, name), join(finalDir, name));
      task.log(`installed ${join(finalDir, name)}`);
    }
  } catch (error) {
    const { version } = SIM_COMPONENTS[component];
    if (task.signal.aborted || (isKartStreamError(error) && error.code === 'canceled'))
      throw new KartStreamError('canceled', `canceled the build of ${component} ${version}`, {
        cause: error,
        details: [`nothing of ${component} was installed; binaries built before it are kept`],
        fix: 'rerun npx kartstream sim install to build what is still missing',
      });
    throw new KartStreamError(
      'install-failed',
      `failed to build ${component} ${version} (${names.join(', ')})`,
      {
        cause: error,
        details: isKartStreamError(error) ? [error.message, ...error.details] : [String(error)],
        fix: 'see the log for the full go output; rerun npx kartstream sim install once the cause is fixed',
      },
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
  }
};

/**
 * Builds `names` with Go (the fallback, and `sim install --from-source`), one component at a
 * time, and records each binary's provenance. Returns the names built.
 */
export const buildWithGo = async (
  names: readonly SimBinaryName[],
  go: { path: string; version: string },
  task: TaskReporter,
): Promise<SimBinaryName[]> => {
  const wanted = new Set(names);
  const plan = SIM_COMPONENT_NAMES.map((component) => ({
    component,
    names: SIM_COMPONENTS[component].binaries.filter((name) => wanted.has(name)),
  })).filter((p) => p.names.length > 0);
  const total = plan.reduce((sum, p) => sum + WEIGHT[p.component], 0);
  let done = 0;
  const built: SimBinaryName[] = [];
  for (const { component, names: componentNames } of plan) {
    task.signal.throwIfAborted();
    const { version } = SIM_COMPONENTS[component];
    task.step(`build ${component} ${version} (${componentNames.join(', ')}) with ${go.version}`);
    const started = Date.now();
    const heartbeat = setInterval(
      () => task.progress(done / total, `building ${component} ${version}: ${seconds(Date.now() - started)}`),
      15_000,
    );
    try {
      await buildComponent(component, componentNames, go.path, task);
    } finally {
      clearInterval(heartbeat);
    }
    for (const name of componentNames)
      await recordProvenance(name, { source: 'build', builtWith: go.version });
    done += WEIGHT[component];
    built.push(...componentNames);
    task.progress(done / total, `built ${component} ${version} in ${seconds(Date.now() - started)}`);
  }
  return built;
};
