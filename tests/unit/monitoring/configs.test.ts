// The configuration the monitoring overlays ship, taken from the rendered ConfigMaps:
//   - the Prometheus config passes `promtool check config` next to the rules file it loads;
//   - the Alertmanager config passes `amtool check-config`;
//   - Grafana's datasources and dashboard provider fit the Deployment (dashboards.test.ts checks
//     the dashboards themselves).
// promtool (apt-get install prometheus) and amtool (apt-get install prometheus-alertmanager) are
// required: without them these tests fail with the install command, they are never skipped.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { K8sObject } from '../manifests/render.ts';
import {
  MONITORING_OVERLAYS,
  alertRules,
  configMapOfVolume,
  findAmtool,
  findPromtool,
  lazyTool,
  loadRules,
  mountPathOf,
  renderMonitoring,
  run,
  workloadNamed,
  type MonitoringOverlay,
  type RuleGroup,
} from './tools.ts';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface KubernetesSd {
  role: string;
  namespaces?: { names?: string[]; own_namespace?: boolean };
  [key: string]: unknown;
}
interface ScrapeConfig {
  job_name: string;
  honor_labels?: boolean;
  metrics_path?: string;
  static_configs?: { targets: string[] }[];
  kubernetes_sd_configs?: KubernetesSd[];
  file_sd_configs?: { files: string[] }[];
  relabel_configs?: {
    source_labels?: string[];
    target_label?: string;
    replacement?: string;
    action?: string;
  }[];
}
interface PrometheusConfig {
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: ScrapeConfig[];
}

const promtool = lazyTool(findPromtool);
const amtool = lazyTool(findAmtool);
const rendered = {} as Record<MonitoringOverlay, K8sObject[]>;
let groups: RuleGroup[];
const tmpDirs: string[] = [];

beforeAll(async () => {
  await promtool.load();
  await amtool.load();
  for (const o of MONITORING_OVERLAYS) rendered[o] = await renderMonitoring(o);
  groups = await loadRules();
}, 60_000);

afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'kartstream-monitoring-'));
  tmpDirs.push(d);
  return d;
}

/** Meta labels a kubernetes_sd role provides (besides __meta_kubernetes_namespace). */
const ROLE_META: Record<string, string[]> = {
  node: ['__meta_kubernetes_node_'],
  pod: ['__meta_kubernetes_pod_'],
  endpointslice: ['__meta_kubernetes_endpointslice_', '__meta_kubernetes_service_', '__meta_kubernetes_pod_'],
  endpoints: [
    '__meta_kubernetes_endpoints_',
    '__meta_kubernetes_endpoint_',
    '__meta_kubernetes_service_',
    '__meta_kubernetes_pod_',
  ],
  service: ['__meta_kubernetes_service_'],
};
const SD_KEYS = new Set([
  'role',
  'namespaces',
  'selectors',
  'api_server',
  'kubeconfig_file',
  'attach_metadata',
]);

/** What promtool cannot check when it is built without Kubernetes discovery (Debian's is). */
function checkKubernetesSd(job: ScrapeConfig): void {
  for (const sd of job.kubernetes_sd_configs ?? []) {
    for (const key of Object.keys(sd)) expect(SD_KEYS.has(key), `${job.job_name}: ${key}`).toBe(true);
    expect(Object.keys(ROLE_META), job.job_name).toContain(sd.role);
    expect(sd.api_server, `${job.job_name} discovers in-cluster`).toBeUndefined();
    for (const key of Object.keys(sd.namespaces ?? {})) expect(['names', 'own_namespace']).toContain(key);
    const prefixes = [...(ROLE_META[sd.role] ?? []), '__meta_kubernetes_namespace'];
    for (const r of job.relabel_configs ?? []) {
      for (const l of r.source_labels ?? []) {
        if (!l.startsWith('__meta_')) continue;
        expect(
          prefixes.some((p) => l.startsWith(p)),
          `${job.job_name}: ${l} is not a meta label of role ${sd.role}`,
        ).toBe(true);
      }
    }
  }
}

describe.each(MONITORING_OVERLAYS)('the configuration in the %s monitoring overlay', (o) => {
  const objs = (): K8sObject[] => rendered[o];
  const prometheusConfigText = (): string =>
    configMapOfVolume(objs(), 'prometheus', 'config').data?.['prometheus.yml'] ?? '';

  it('the Prometheus config passes `promtool check config`, with its rule_files found and checked', async () => {
    const tool = promtool.get();
    // The same layout as in the pod: config/ and rules/ side by side; the service account's
    // token and CA (which promtool wants to exist) in a stand-in directory.
    const dir = await tempDir();
    for (const sub of ['config', 'rules', 'sa']) await mkdir(path.join(dir, sub));
    await writeFile(path.join(dir, 'sa', 'token'), 'token\n');
    await writeFile(path.join(dir, 'sa', 'ca.crt'), 'ca\n');
    const rules = configMapOfVolume(objs(), 'prometheus', 'rules').data ?? {};
    for (const [name, text] of Object.entries(rules)) await writeFile(path.join(dir, 'rules', name), text);
    const text = prometheusConfigText().replaceAll(`${SA_DIR}/`, `${path.join(dir, 'sa')}/`);
    const configFile = path.join(dir, 'config', 'prometheus.yml');
    await writeFile(configFile, text);

    let r = await run(tool, ['check', 'config', configFile]);
    if (r.exitCode !== 0 && /field kubernetes_sd_configs not found/.test(r.output)) {
      // Debian builds Prometheus without Kubernetes discovery, so its promtool rejects every
      // kubernetes_sd_configs block. Check those blocks here instead, and everything else
      // (relabelling, auth, TLS, alerting, the rules) with promtool on a copy that discovers
      // the same jobs from files. With an upstream promtool (PROMTOOL=...) the config is
      // checked exactly as shipped.
      const config = parse(text) as PrometheusConfig;
      for (const job of config.scrape_configs) {
        if (!job.kubernetes_sd_configs) continue;
        checkKubernetesSd(job);
        delete job.kubernetes_sd_configs;
        job.file_sd_configs = [{ files: ['targets/*.json'] }];
      }
      await writeFile(configFile, stringify(config));
      r = await run(tool, ['check', 'config', configFile]);
    }
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output, r.output).toContain('kartstream-alerts.yaml');
    expect(r.output, r.output).toMatch(/SUCCESS: [1-9]\d* rules found/);
  }, 30_000);

  it('the Prometheus config discovers pods, nodes, cAdvisor and the API server, and scrapes kube-state-metrics', () => {
    const config = parse(prometheusConfigText()) as PrometheusConfig;
    const job = (name: string): ScrapeConfig => {
      const j = config.scrape_configs.find((x) => x.job_name === name);
      if (!j) throw new Error(`no scrape job ${name}`);
      return j;
    };
    const roles = (name: string): string[] => (job(name).kubernetes_sd_configs ?? []).map((s) => s.role);
    expect(roles('kubernetes-pods')).toEqual(['pod']);
    expect(roles('kubernetes-nodes')).toEqual(['node']);
    expect(roles('kubernetes-cadvisor')).toEqual(['node']);
    expect(roles('kubernetes-apiservers')).toEqual(['endpointslice']);
    const proxyPath = (name: string): string | undefined =>
      job(name).relabel_configs?.find((r) => r.target_label === '__metrics_path__')?.replacement;
    expect(proxyPath('kubernetes-nodes')).toBe('/api/v1/nodes/$1/proxy/metrics');
    expect(proxyPath('kubernetes-cadvisor')).toBe('/api/v1/nodes/$1/proxy/metrics/cadvisor');
    expect(
      job('kubernetes-pods').relabel_configs?.some(
        (r) =>
          r.action === 'keep' &&
          r.source_labels?.[0] === '__meta_kubernetes_pod_annotation_prometheus_io_scrape',
      ),
    ).toBe(true);
    // kube-state-metrics: through its Service, keeping the namespace/pod/node labels it exports.
    const ksm = job('kube-state-metrics');
    expect(ksm.honor_labels).toBe(true);
    const ksmService = objs().find(
      (x) => x.kind === 'Service' && x.metadata.name === 'kube-state-metrics',
    ) as unknown as {
      spec: { ports: { name: string; port: number }[] };
    };
    const metricsPort = ksmService.spec.ports.find((p) => p.name === 'http-metrics')?.port;
    expect(ksm.static_configs).toEqual([{ targets: [`kube-state-metrics:${metricsPort}`] }]);
    // Alerts go to the Alertmanager Service.
    const amService = objs().find(
      (x) => x.kind === 'Service' && x.metadata.name === 'alertmanager',
    ) as unknown as {
      spec: { ports: { port: number }[] };
    };
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual([
      `alertmanager:${amService.spec.ports[0]?.port}`,
    ]);
  });

  it('the Alertmanager config passes `amtool check-config`', async () => {
    const tool = amtool.get();
    const dir = await tempDir();
    const file = path.join(dir, 'alertmanager.yml');
    await writeFile(
      file,
      configMapOfVolume(objs(), 'alertmanager', 'config').data?.['alertmanager.yml'] ?? '',
    );
    const r = await run(tool, ['check-config', file]);
    expect(r.output, r.output).toContain('SUCCESS');
    expect(r.exitCode, r.output).toBe(0);
  });

  it('Alertmanager groups by alertname, pool and service into a no-op receiver, quickly', () => {
    const am = parse(
      configMapOfVolume(objs(), 'alertmanager', 'config').data?.['alertmanager.yml'] ?? '',
    ) as {
      route: { receiver: string; group_by: string[]; group_wait: string };
      receivers: Record<string, unknown>[];
      inhibit_rules?: { source_matchers: string[]; target_matchers: string[] }[];
    };
    expect(am.route.group_by).toEqual(['alertname', 'pool', 'service']);
    expect(am.receivers).toEqual([{ name: am.route.receiver }]);
    expect(am.route.group_wait).toMatch(/^([1-9]|[12]\d|30)s$/);
    // Inhibition rules may only name alerts that exist.
    const names = new Set(alertRules(groups).map((a) => a.alert));
    for (const rule of am.inhibit_rules ?? []) {
      for (const m of [...rule.source_matchers, ...rule.target_matchers]) {
        const name = /^alertname="(\w+)"$/.exec(m)?.[1];
        expect(name && names.has(name), m).toBe(true);
      }
    }
  });

  it('Grafana provisions the Prometheus datasource and loads dashboards from where they are mounted', () => {
    const grafana = workloadNamed(objs(), 'grafana');
    const ds = parse(
      configMapOfVolume(objs(), 'grafana', 'datasources').data?.['datasources.yaml'] ?? '',
    ) as {
      datasources: { uid: string; type: string; url: string; isDefault?: boolean }[];
    };
    const prom = ds.datasources.find((d) => d.uid === 'prometheus');
    expect(prom).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true });
    const providers = parse(
      configMapOfVolume(objs(), 'grafana', 'dashboard-providers').data?.['dashboards.yaml'] ?? '',
    ) as { providers: { type: string; options: { path: string } }[] };
    expect(providers.providers).toHaveLength(1);
    expect(providers.providers[0]?.options.path).toBe(mountPathOf(grafana, 'dashboards'));
    expect(mountPathOf(grafana, 'datasources')).toBe('/etc/grafana/provisioning/datasources');
    expect(mountPathOf(grafana, 'dashboard-providers')).toBe('/etc/grafana/provisioning/dashboards');
    const home = grafana.spec.template.spec.containers[0]?.env?.find(
      (e) => e.name === 'GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH',
    )?.value as string;
    expect(path.posix.dirname(home)).toBe(mountPathOf(grafana, 'dashboards'));
    expect(
      configMapOfVolume(objs(), 'grafana', 'dashboards').data?.[path.posix.basename(home)],
    ).toBeDefined();
  });
});
