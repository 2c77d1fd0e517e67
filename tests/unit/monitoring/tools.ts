// Helpers for the monitoring tests: find promtool/amtool, run them, read the monitoring files,
// and pull metric and label names out of PromQL expressions.
import { execa } from 'execa';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import {
  kustomize,
  manifestsDir,
  repoRoot,
  workloads,
  type Container,
  type K8sObject,
  type PodSpec,
  type Workload,
} from '../manifests/render.ts';

export const monitoringDir = path.join(manifestsDir, 'monitoring');
export const rulesFile = path.join(monitoringDir, 'rules', 'kartstream-alerts.yaml');
export const seriesFile = path.join(monitoringDir, 'ksm-series.yaml');
export const rulesTestsFile = path.join(repoRoot, 'tests', 'unit', 'monitoring', 'rules-tests.yaml');

export const MONITORING_OVERLAYS = ['kind', 'eks', 'sim'] as const;
export type MonitoringOverlay = (typeof MONITORING_OVERLAYS)[number];

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of a command-line tool: `$envVar` if set, else the first `name` on PATH. Throws (so the
 * test fails, it is never skipped) with the install command when the tool cannot be found.
 */
export async function findTool(name: string, envVar: string, install: string): Promise<string> {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (await isExecutableFile(fromEnv)) return fromEnv;
    throw new Error(
      `${envVar}=${fromEnv} is not an executable file. Unset it, or install ${name}: ${install}`,
    );
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutableFile(path.join(dir, name)))) return path.join(dir, name);
  }
  throw new Error(`${name} is not on PATH (nor set in ${envVar}). Install it with \`${install}\`.`);
}

export const findPromtool = (): Promise<string> =>
  findTool('promtool', 'PROMTOOL', 'apt-get install prometheus');
export const findAmtool = (): Promise<string> =>
  findTool('amtool', 'AMTOOL', 'apt-get install prometheus-alertmanager');

/**
 * A lookup done once (in beforeAll) whose failure is raised by every test that needs the tool,
 * so each of those tests fails with the install hint instead of being reported as skipped.
 */
export function lazyTool(find: () => Promise<string>): { load: () => Promise<void>; get: () => string } {
  let found: string | undefined;
  let error: unknown;
  return {
    load: async () => {
      try {
        found = await find();
      } catch (e) {
        error = e;
      }
    },
    get: () => {
      if (found === undefined) throw error instanceof Error ? error : new Error(String(error));
      return found;
    },
  };
}

export interface ToolResult {
  exitCode: number;
  output: string;
}

/** Runs a tool without throwing on a non-zero exit; output is stdout and stderr interleaved. */
export async function run(tool: string, args: string[], cwd?: string): Promise<ToolResult> {
  const r = await execa(tool, args, { reject: false, all: true, cwd });
  return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
}

// ---- the rules file ----

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RecordingRule {
  record: string;
  expr: string;
}
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: (AlertRule | RecordingRule)[];
}

export async function loadRules(): Promise<RuleGroup[]> {
  return (parse(await readFile(rulesFile, 'utf8')) as { groups: RuleGroup[] }).groups;
}
export const alertRules = (groups: RuleGroup[]): AlertRule[] =>
  groups.flatMap((g) => g.rules).filter((r): r is AlertRule => 'alert' in r);
export const recordingRules = (groups: RuleGroup[]): RecordingRule[] =>
  groups.flatMap((g) => g.rules).filter((r): r is RecordingRule => 'record' in r);

// ---- the series contract (manifests/monitoring/ksm-series.yaml) ----

export interface SeriesSpec {
  labels: string[];
  extra?: string[];
  value: string;
}
export interface SeriesContract {
  metrics: Record<string, SeriesSpec>;
  builtin: Record<string, SeriesSpec>;
  /** Istio's service metrics (served by the sim traffic model, or by a mesh). */
  istio: Record<string, SeriesSpec>;
}
export async function loadSeriesContract(): Promise<SeriesContract> {
  return parse(await readFile(seriesFile, 'utf8')) as SeriesContract;
}

// ---- PromQL names ----

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

export interface PromqlNames {
  metrics: Set<string>;
  /** label names in matchers, grouping/matching clauses and label_replace arguments */
  labels: Set<string>;
}

/**
 * Metric and label names an expression refers to. Not a full parser (promtool is the parser in
 * these tests): enough for the regular PromQL the rules and dashboards are written in.
 */
export function promqlNames(expr: string): PromqlNames {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  // label_replace(v, "dst", "replacement", "src", "regex"): dst and src are label names.
  const str = String.raw`"((?:[^"\\]|\\.)*)"`;
  const tail = new RegExp(String.raw`,\s*${str}\s*,\s*${str}\s*,\s*${str}\s*,\s*${str}\s*\)`, 'g');
  for (const m of expr.matchAll(tail)) {
    if (m[1]) labels.add(m[1]);
    if (m[3]) labels.add(m[3]);
  }
  let rest = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  rest = rest.replace(/\{([^}]*)\}/g, (_all, inner: string) => {
    for (const m of inner.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) labels.add(m[1] as string);
    return ' ';
  });
  rest = rest.replace(
    /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_all, list: string) => {
      for (const l of list.split(',').map((s) => s.trim())) if (l) labels.add(l);
      return ' ';
    },
  );
  rest = rest.replace(/\[[^\]]*\]/g, ' ');
  for (const m of rest.matchAll(/(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const name = m[1] as string;
    if (m[2] || KEYWORDS.has(name.toLowerCase())) continue;
    metrics.add(name);
  }
  return { metrics, labels };
}

// ---- rendered monitoring objects ----

export interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}
export interface VolumeSource {
  name: string;
  configMap?: { name: string };
  emptyDir?: { sizeLimit?: string };
  hostPath?: { path: string };
}
export type MountedContainer = Container & {
  args?: string[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
};
export interface MountedWorkload extends K8sObject {
  spec: {
    selector: Workload['spec']['selector'];
    template: {
      metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: Omit<PodSpec, 'volumes' | 'containers' | 'initContainers'> & {
        volumes?: VolumeSource[];
        hostNetwork?: boolean;
        containers: MountedContainer[];
        initContainers?: MountedContainer[];
      };
    };
  };
}

export const renderMonitoring = (o: MonitoringOverlay): Promise<K8sObject[]> =>
  kustomize(path.join(monitoringDir, 'overlays', o));

export function workloadNamed(objs: K8sObject[], name: string): MountedWorkload {
  const w = workloads(objs).find((x) => x.metadata.name === name);
  if (!w) throw new Error(`no workload named ${name}`);
  return w as unknown as MountedWorkload;
}

/** The ConfigMap behind a workload's volume (its generated, hash-suffixed name resolved). */
export function configMapOfVolume(objs: K8sObject[], workload: string, volume: string): ConfigMap {
  const w = workloadNamed(objs, workload);
  const v = (w.spec.template.spec.volumes ?? []).find((x) => x.name === volume);
  if (!v?.configMap) throw new Error(`${workload} has no configMap volume ${volume}`);
  const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === v.configMap?.name);
  if (!cm)
    throw new Error(
      `${workload}: volume ${volume} refers to a ConfigMap ${v.configMap.name} that is not rendered`,
    );
  return cm as ConfigMap;
}

/** Where a workload's first container mounts a volume. */
export function mountPathOf(w: MountedWorkload, volume: string): string {
  const m = (w.spec.template.spec.containers[0]?.volumeMounts ?? []).find((x) => x.name === volume);
  if (!m) throw new Error(`${w.metadata.name} does not mount ${volume}`);
  return m.mountPath;
}

/** The value of `--flag=value` in a container's args. */
export function argValue(args: string[] | undefined, flag: string): string | undefined {
  const prefix = `${flag}=`;
  return args?.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
