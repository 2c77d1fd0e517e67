// Learners' own alert rules, the same on every backend: a rule file is checked (promtool when
// installed), added as a `learner-*.yaml` key to the lab's rules ConfigMap (`prometheus-rules-*`
// in namespace monitoring, which the Prometheus pod mounts next to the shared rules), and
// Prometheus reloads through the port-forward until it lists the new alerts (the kubelet takes up
// to a minute to update a mounted ConfigMap). On sim no container mounts it: the host Prometheus
// behind the pod reads the lab's rules.d, so the file is written there too.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { LabContext, MonitoringPlacement } from '../backends/cluster-backend.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { runCommand } from '../exec/run-command.ts';
import { findOnPath } from '../exec/find-on-path.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { upCommand } from '../home/lab-name.ts';
import { sleep } from '../tasks/wait.ts';
import { readLabMonitoring, runsOnHost } from './lab-monitoring.ts';
import { MONITORING_NAMESPACE, type MonitoringEndpoints } from './monitoring-access.ts';
import { PrometheusApi } from './prometheus-api.ts';
import { monitoringDir } from './sim-monitoring.ts';

/** The host Prometheus' rules directory of a sim lab (the stand-in for the mounted ConfigMap). */
export const labRulesDir = (lab: Pick<LabContext, 'dir'>): string => join(monitoringDir(lab), 'rules.d');

const LEARNER_PREFIX = 'learner-';
const RELOAD_TIMEOUT_MS = 150_000;
const RELOAD_EVERY_MS = 3_000;

// The rules ConfigMap: its name carries kustomize's content hash.
const rulesConfigMap = async (lab: LabContext): Promise<V1ConfigMap> => {
  const { items } = await kubeClients(lab.kubeconfigPath).core.listNamespacedConfigMap({
    namespace: MONITORING_NAMESPACE,
    labelSelector: 'app.kubernetes.io/name=prometheus',
  });
  const found = items.find((c) => c.metadata?.name?.startsWith('prometheus-rules'));
  if (!found)
    throw new KartStreamError(
      'not-found',
      `lab ${lab.name} has no rules ConfigMap in namespace ${MONITORING_NAMESPACE}`,
      {
        fix: `deploy its monitoring again: ${upCommand(lab.name)}`,
      },
    );
  return found;
};

const replaceConfigMap = (lab: LabContext, body: V1ConfigMap) =>
  kubeClients(lab.kubeconfigPath).core.replaceNamespacedConfigMap({
    name: body.metadata?.name ?? '',
    namespace: MONITORING_NAMESPACE,
    body,
  });

const reload = async (prometheus: string): Promise<void> => {
  const res = await fetch(`${prometheus}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  if (!res.ok)
    throw new KartStreamError(
      'command-failed',
      `Prometheus did not reload its rules: ${res.status} ${await res.text()}`,
    );
};

// The alert names a rule file defines.
const alertNames = (text: string): string[] => {
  const doc = parse(text) as { groups?: { rules?: { alert?: string }[] }[] } | null;
  return (doc?.groups ?? []).flatMap((g) => (g.rules ?? []).flatMap((r) => (r.alert ? [r.alert] : [])));
};

// Reloads until Prometheus lists the alerts it should (`loaded`) and not those it should not
// (`unloaded`): a mounted ConfigMap changes late.
const reloadUntil = async (
  monitoring: MonitoringEndpoints,
  { loaded, unloaded }: { loaded: string[]; unloaded: string[] },
): Promise<void> => {
  const api = new PrometheusApi(monitoring.prometheus);
  const deadline = Date.now() + RELOAD_TIMEOUT_MS;
  for (;;) {
    await reload(monitoring.prometheus);
    const listed = new Set((await api.alertingRules()).map((r) => r.name));
    const wrong = [...loaded.filter((a) => !listed.has(a)), ...unloaded.filter((a) => listed.has(a))];
    if (wrong.length === 0) return;
    if (Date.now() > deadline)
      throw new KartStreamError(
        'timeout',
        `Prometheus did not pick up the rules change for ${wrong.join(', ')}`,
        {
          fix: `see whether the rules reached the pod: kubectl -n ${MONITORING_NAMESPACE} exec deploy/prometheus -- ls /etc/prometheus/rules`,
        },
      );
    await sleep(RELOAD_EVERY_MS);
  }
};

// Validates, installs and loads a rule file; returns where it went (ConfigMap and key). `setup`:
// whether the lab has monitoring, and where its Prometheus runs.
export const addLabRules = async (
  lab: LabContext,
  file: string,
  setup: { monitoring: boolean; placement: MonitoringPlacement },
): Promise<string> => {
  const monitoring = await readLabMonitoring(lab, setup);
  if (!monitoring)
    throw new KartStreamError('not-found', `lab ${lab.name} runs without monitoring`, {
      fix: upCommand(lab.name),
    });
  const promtool = await findOnPath('promtool');
  if (promtool) {
    await runCommand(promtool, ['check', 'rules', file]).catch((error: unknown) => {
      throw new KartStreamError('invalid-input', `rule file ${file} is not valid`, {
        details: (error as KartStreamError).details ?? [],
        fix: 'fix the file (see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/) and add it again',
      });
    });
  }
  const text = await readFile(file, 'utf8');
  let alerts: string[];
  try {
    alerts = alertNames(text);
  } catch (cause) {
    throw new KartStreamError('invalid-input', `rule file ${file} is not YAML: ${(cause as Error).message}`, {
      cause,
      fix: 'fix the file (a rule file is `groups:`, each with `name:` and `rules:`) and add it again',
    });
  }
  // A ConfigMap key allows letters, digits, '-', '_' and '.'.
  const key = `${LEARNER_PREFIX}${basename(file)
    .replace(/\.ya?ml$/, '')
    .replace(/[^-._a-zA-Z0-9]/g, '-')}.yaml`;
  const configMap = await rulesConfigMap(lab);
  configMap.data = { ...configMap.data, [key]: text };
  await replaceConfigMap(lab, configMap);
  if (runsOnHost(setup.placement)) {
    await mkdir(labRulesDir(lab), { recursive: true, mode: 0o700 });
    await writeFile(join(labRulesDir(lab), key), text, { mode: 0o600 });
  }
  await reloadUntil(monitoring, { loaded: alerts, unloaded: [] });
  return `configmap ${MONITORING_NAMESPACE}/${configMap.metadata?.name ?? ''} key ${key}`;
};

// Removes every rule file a learner added (reset); returns whether there was any.
export const removeLabRules = async (lab: LabContext, monitoring: MonitoringEndpoints): Promise<boolean> => {
  const configMap = await rulesConfigMap(lab);
  const learners = Object.entries(configMap.data ?? {}).filter(([k]) => k.startsWith(LEARNER_PREFIX));
  await rm(labRulesDir(lab), { recursive: true, force: true });
  if (learners.length === 0) return false;
  configMap.data = Object.fromEntries(
    Object.entries(configMap.data ?? {}).filter(([k]) => !k.startsWith(LEARNER_PREFIX)),
  );
  await replaceConfigMap(lab, configMap);
  const shared = new Set(Object.values(configMap.data).flatMap(alertNames));
  const unloaded = learners.flatMap(([, text]) => alertNames(text)).filter((a) => !shared.has(a));
  await reloadUntil(monitoring, { loaded: [], unloaded });
  return true;
};
