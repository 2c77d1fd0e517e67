// Monitoring for sim labs: the repo's rules file and Alertmanager config, run by local
// Prometheus and Alertmanager processes against the simulated cluster, with the lab agent serving
// the kube-state-metrics series. All on free 127.0.0.1 ports; `down` stops them.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { LabContext } from '../backends/cluster-backend.ts';
import { kwokClusterDir } from '../backends/sim/kwokctl.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { isAlive } from '../exec/process-alive.ts';
import { startDaemon, waitHttpReady } from '../exec/start-daemon.ts';
import { ensurePrivateDir, writePrivateJson } from '../home/private-files.ts';
import { readMonitoringPorts } from '../backends/sim/monitoring-ports.ts';
import { requireFreePort } from '../kube/free-port.ts';
import type { TaskReporter } from '../tasks/task.ts';
import { waitUntil } from '../tasks/wait.ts';
import { requireMonitoringBinaries } from './monitoring-binaries.ts';

export const RULES_FILE = fileURLToPath(
  new URL('../../manifests/monitoring/rules/kartstream-alerts.yaml', import.meta.url),
);
export const ALERTMANAGER_CONFIG = fileURLToPath(
  new URL('../../manifests/monitoring/base/config/alertmanager.yml', import.meta.url),
);
const CLI = fileURLToPath(new URL('../../bin/kartstream.js', import.meta.url));

export interface SimMonitoring {
  prometheus: string;
  alertmanager: string;
  agent: string;
  alertHistory: string;
}

export const monitoringDir = (lab: Pick<LabContext, 'dir'>): string => join(lab.dir, 'monitoring');
const stateFile = (lab: Pick<LabContext, 'dir'>) => join(monitoringDir(lab), 'monitoring.json');

// The secure ports kwokctl gave the scheduler and controller manager, read from its kwok.yaml.
const componentPorts = async (lab: LabContext): Promise<Record<string, number>> => {
  const docs = parseAllDocuments(await readFile(join(kwokClusterDir(lab), 'kwok.yaml'), 'utf8')).map(
    (d) => d.toJS() as { components?: { name: string; args?: string[] }[] } | null,
  );
  const ports: Record<string, number> = {};
  for (const c of docs.flatMap((d) => d?.components ?? [])) {
    const arg = c.args?.find((a) => a.startsWith('--secure-port='));
    if (arg) ports[c.name] = Number(arg.split('=')[1]);
  }
  return ports;
};

const prometheusConfig = async (lab: LabContext, agentPort: number, alertmanagerPort: number) => {
  const pki = join(kwokClusterDir(lab), 'pki');
  const tls = {
    ca_file: join(pki, 'ca.crt'),
    cert_file: join(pki, 'admin.crt'),
    key_file: join(pki, 'admin.key'),
    insecure_skip_verify: true,
  };
  const ports = await componentPorts(lab);
  const secureJob = (job: string, port: number | undefined) =>
    port
      ? [
          {
            job_name: job,
            scheme: 'https',
            tls_config: tls,
            static_configs: [{ targets: [`127.0.0.1:${port}`] }],
          },
        ]
      : [];
  return {
    global: { scrape_interval: '5s', evaluation_interval: '5s' },
    // The shared rules, plus the learner's own (kartstream rules add).
    rule_files: [RULES_FILE, join(monitoringDir(lab), 'rules.d', '*.yaml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] }] },
    scrape_configs: [
      { job_name: 'kube-state-metrics', static_configs: [{ targets: [`127.0.0.1:${agentPort}`] }] },
      ...secureJob('apiserver', ports['kube-apiserver']),
      ...secureJob('kube-scheduler', ports['kube-scheduler']),
      ...secureJob('kube-controller-manager', ports['kube-controller-manager']),
    ],
  };
};

// The shared Alertmanager config, with every receiver also posting to the lab agent, so firing
// and resolved alerts land in the lab's history. Routing and grouping stay exactly as shared.
const alertmanagerConfig = async (agentPort: number) => {
  const config = parse(await readFile(ALERTMANAGER_CONFIG, 'utf8')) as {
    receivers?: Record<string, unknown>[];
  };
  const hook = { url: `http://127.0.0.1:${agentPort}/alerts`, send_resolved: true };
  config.receivers = (config.receivers ?? []).map((r) => ({
    ...r,
    webhook_configs: [...((r.webhook_configs as unknown[]) ?? []), hook],
  }));
  return config;
};

// Starts the lab agent, Alertmanager and Prometheus, each waited for until it answers.
export const startSimMonitoring = async (lab: LabContext, task: TaskReporter): Promise<SimMonitoring> => {
  const binaries = await requireMonitoringBinaries();
  const dir = monitoringDir(lab);
  await ensurePrivateDir(dir);
  // The ports the cluster's monitoring pods forward to, fixed when the cluster was created.
  const ports = await readMonitoringPorts(lab);
  const [agentPort, promPort, amPort] = [ports.agent, ports.prometheus, ports.alertmanager];
  for (const [name, port] of Object.entries(ports))
    await requireFreePort(port, `the lab's ${name}`, '').catch((cause: unknown) => {
      throw new KartStreamError('conflict', (cause as Error).message, {
        cause,
        fix: `the lab's ${name} pod forwards there: stop what listens (\`ss -ltnp 'sport = :${port}'\`), or recreate the lab (down, then up) to pick new ports`,
      });
    });
  const alertHistory = join(dir, 'alerts.jsonl');
  await writeFile(join(dir, 'prometheus.yml'), stringify(await prometheusConfig(lab, agentPort, amPort)), {
    mode: 0o600,
  });
  await writeFile(join(dir, 'alertmanager.yml'), stringify(await alertmanagerConfig(agentPort)), {
    mode: 0o600,
  });
  const file = (name: string, ext: string) => join(dir, `${name}.${ext}`);
  const daemons = [
    {
      name: 'agent',
      command: process.execPath,
      args: [
        CLI,
        'lab-agent',
        '--kubeconfig',
        lab.kubeconfigPath,
        '--port',
        String(agentPort),
        '--history',
        alertHistory,
        '--process-dir',
        dir,
        ...(ports.shopFrontend === undefined ? [] : ['--frontend-port', String(ports.shopFrontend)]),
        ...['--pod-logs', join(lab.dir, 'pod-logs')],
      ],
      ready: `http://127.0.0.1:${agentPort}/healthz`,
    },
    {
      name: 'alertmanager',
      command: binaries.alertmanager,
      args: [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      ready: `http://127.0.0.1:${amPort}/-/ready`,
    },
    {
      name: 'prometheus',
      command: binaries.prometheus,
      args: [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--storage.tsdb.retention.time=1d',
        '--web.enable-lifecycle',
      ],
      ready: `http://127.0.0.1:${promPort}/-/ready`,
    },
  ];
  for (const d of daemons) {
    task.log(`starting ${d.name}: ${d.command} ${d.args.join(' ')}`);
    const pid = await startDaemon({
      name: d.name,
      command: d.command,
      args: d.args,
      logFile: file(d.name, 'log'),
      pidFile: file(d.name, 'pid'),
    });
    await waitHttpReady(d.name, d.ready, file(d.name, 'log'), 30_000, () => isAlive(pid));
  }
  const state: SimMonitoring = {
    prometheus: `http://127.0.0.1:${promPort}`,
    alertmanager: `http://127.0.0.1:${amPort}`,
    agent: `http://127.0.0.1:${agentPort}`,
    alertHistory,
  };
  await writePrivateJson(stateFile(lab), state);
  return state;
};

// The lab's monitoring endpoints, or undefined when the lab runs without monitoring.
export const readSimMonitoring = async (lab: Pick<LabContext, 'dir'>): Promise<SimMonitoring | undefined> =>
  existsSync(stateFile(lab))
    ? (JSON.parse(await readFile(stateFile(lab), 'utf8')) as SimMonitoring)
    : undefined;

// The monitoring processes and whether each runs.
export const monitoringProcesses = async (
  lab: Pick<LabContext, 'dir'>,
): Promise<{ name: string; pid: number; running: boolean }[]> => {
  const dir = monitoringDir(lab);
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.pid'));
  return Promise.all(
    files.map(async (f) => {
      const pid = Number.parseInt(await readFile(join(dir, f), 'utf8'), 10);
      return { name: f.replace(/\.pid$/, ''), pid, running: isAlive(pid) };
    }),
  );
};

// A signal to a process that may have exited meanwhile.
const signal = (pid: number, name: NodeJS.Signals): void => {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
};

// Stops every monitoring process of the lab (TERM, then KILL after 5 s). The agent goes first,
// so it cannot stop a process again; a stopped process is resumed first, so TERM reaches it.
export const stopSimMonitoring = async (lab: Pick<LabContext, 'dir'>, task: TaskReporter): Promise<void> => {
  const running = (await monitoringProcesses(lab)).filter((p) => p.running);
  const agentFirst = [running.filter((p) => p.name === 'agent'), running.filter((p) => p.name !== 'agent')];
  for (const group of agentFirst) {
    for (const p of group) {
      task.log(`stopping ${p.name} (pid ${p.pid})`);
      signal(p.pid, 'SIGCONT');
      signal(p.pid, 'SIGTERM');
    }
    await waitUntil(() => !group.some((p) => isAlive(p.pid)), { timeoutMs: 5_000 });
    for (const p of group.filter((x) => isAlive(x.pid))) signal(p.pid, 'SIGKILL');
  }
};
