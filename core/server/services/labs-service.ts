// `labs.*`: list, inspect, create, remove and reset labs, the backend pick with its reason, the
// topology preview and the doctor. Create, remove and reset run as tasks; what can be checked
// before a task starts (name, backend, topology, tools) is checked in the call, so the UI shows
// the error in place.
import { halfCreatedError, labLockHolder } from '../../lab/lab-lock.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KartStreamServices } from '../../contract/services.ts';
import type { DoctorFinding, LabInfo, LabSummary, TaskSummary } from '../../contract/wire-types.ts';
import type { CreateLabInput } from '../../contract/inputs.ts';
import { backendByName, chooseBackend } from '../../backends/choose-backend.ts';
import { collectDoctorReport, type DoctorReport, type ToolStatus } from '../../doctor/doctor-report.ts';
import { describeError, isKartStreamError, KartStreamError } from '../../errors/kartstream-error.ts';
import { labDir } from '../../home/paths.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import { downLab } from '../../lab/down-lab.ts';
import { checkLabName, isLabName, upCommand } from '../../home/lab-name.ts';
import {
  labContext,
  labRecordPath,
  listLabNames,
  readLabRecord,
  type LabRecord,
} from '../../lab/lab-record.ts';
import type { OpenLab } from '../../lab/open-lab.ts';
import { resetLab } from '../../scenarios/reset-lab.ts';
import { upLab } from '../../lab/up-lab.ts';
import { readLabMonitoring, requireMonitoringTools } from '../../monitoring/lab-monitoring.ts';
import type { RunTaskOptions, TaskReporter } from '../../tasks/task.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../../topology/load-topology.ts';
import type { ServiceContext } from './service-context.ts';

/** The error for a lab name that has no lab, worded for the app. */
export const unknownLab = async (name: string): Promise<KartStreamError> => {
  const others = await listLabNames();
  return new KartStreamError('not-found', `there is no lab named "${name}"`, {
    details: [others.length ? `labs here: ${others.join(', ')}` : 'there are no labs yet'],
    fix: `create it on the Labs page or: ${upCommand(name)}`,
  });
};

/** A lab whose record cannot be read: listed as broken with the reason, not left out. */
const brokenLab = (name: string, error: unknown): LabSummary => ({
  name,
  backend: 'unknown',
  state: 'broken',
  createdAt: new Date(0).toISOString(),
  monitoring: false,
  problem: {
    message: isKartStreamError(error) ? [error.message, ...error.details].join(': ') : describeError(error),
    path: labRecordPath(name),
    fix: isKartStreamError(error) ? error.fix : undefined,
  },
});

/** Opens a lab that must exist: its record, context and backend. */
export const openKnownLab = async (name: string): Promise<OpenLab> => {
  const record = await readLabRecord(checkLabName(name));
  if (!record) throw await unknownLab(name);
  return { record, lab: await labContext(record), backend: backendByName(record.backend) };
};

// An engine function that runs its own task reports into the registry's task instead.
const into = (task: TaskReporter): RunTaskOptions => ({
  signal: task.signal,
  onEvent: (event) => {
    if (event.type === 'step') task.step(event.title);
    else if (event.type === 'progress') task.progress(event.fraction, event.message);
    else if (event.type === 'log') task.log(event.line);
  },
});

const LAB_TASKS: readonly TaskSummary['kind'][] = ['lab-create', 'lab-delete', 'lab-reset'];

const showTaint = (t: { key: string; value: string; effect: string }) =>
  `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

const toolFinding = (name: string, tool: ToolStatus, fix: string): DoctorFinding => {
  const ok = Boolean(tool.path) && !tool.problem;
  const detail = [tool.version, tool.path, tool.problem].filter(Boolean).join(' — ');
  return { name, ok, detail: detail || 'not found', ...(ok ? {} : { fix }) };
};

const doctorFindings = (r: DoctorReport): DoctorFinding[] => {
  const missing = r.simBinaries.filter((b) => !b.found);
  const findings: DoctorFinding[] = [
    {
      name: 'sim binaries',
      ok: missing.length === 0,
      detail:
        missing.length === 0
          ? `all ${r.simBinaries.length} found (${r.simBinaries.map((b) => `${b.name} ${b.version ?? ''}`.trim()).join(', ')})`
          : `missing: ${missing.map((b) => `${b.name} ${b.pinned}${b.reasons?.length ? ` (${b.reasons.join('; ')})` : ''}`).join(', ')}`,
      ...(missing.length === 0
        ? {}
        : {
            fix: 'run: npx kartstream sim install (or create a sim lab: the first one installs them) — it downloads the official releases, sha256-checked, and builds with Go only what has none; offline: npx kartstream sim import BUNDLE',
          }),
    },
    // Go matters only while sim binaries are missing.
    missing.length === 0 && !r.go.usable
      ? { name: 'Go', ok: true, detail: 'not needed: every sim binary is there' }
      : toolFinding(
          'Go',
          r.go,
          'install Go (https://go.dev/dl/) to build the sim binaries that cannot be downloaded here',
        ),
    toolFinding(
      'kubectl',
      r.kubectl,
      'install kubectl (https://kubernetes.io/docs/tasks/tools/); the lab terminal uses the sim build where there is one',
    ),
    {
      name: 'Docker engine',
      ok: r.docker.engine,
      detail: r.docker.engine
        ? `engine ${r.docker.serverVersion ?? ''} ${r.docker.path ?? ''}`.trim()
        : (r.docker.problem ?? 'no engine answers'),
      ...(r.docker.engine
        ? {}
        : { fix: 'start Docker (or Podman) to run labs on kind; sim labs need no Docker' }),
    },
    toolFinding('kind', r.kind, 'run: npx kartstream kind install (creating a kind lab installs it too)'),
    toolFinding(
      'Prometheus',
      r.prometheus,
      'on Debian/Ubuntu: sudo apt-get install prometheus; or create labs without monitoring',
    ),
    toolFinding(
      'Alertmanager',
      r.alertmanager,
      'on Debian/Ubuntu: sudo apt-get install prometheus-alertmanager; or create labs without monitoring',
    ),
    ...r.kindPreflight.findings.map((f) => ({
      name: `kind preflight: ${f.id}`,
      ok: f.severity !== 'error',
      detail: f.severity === 'warning' ? `warning: ${f.message}` : f.message,
      ...(f.fix && f.severity !== 'ok' ? { fix: f.fix } : {}),
    })),
  ];
  return findings;
};

export const createLabsService = (ctx: ServiceContext): KartStreamServices['labs'] => {
  // One lab-changing task per lab at a time: two would fight over the same processes.
  const requireIdle = (lab: string) => {
    const busy = ctx.tasks
      .list()
      .find((t) => t.lab === lab && t.state === 'running' && LAB_TASKS.includes(t.kind));
    if (busy)
      throw new KartStreamError('conflict', `lab ${lab} is busy: task "${busy.title}" is still running`, {
        fix: 'wait for it to end, or cancel it in its task view',
      });
  };

  const create = async (input: CreateLabInput) => {
    const name = checkLabName(input.name);
    requireIdle(name);
    const existing = await readLabRecord(name);
    if (existing && input.backend && existing.backend !== input.backend)
      throw new KartStreamError(
        'conflict',
        `lab ${name} already exists on the ${existing.backend} backend, not ${input.backend}`,
        {
          fix: `pick another name, or remove lab ${name} first (or create it again with backend ${existing.backend})`,
        },
      );
    await loadTopology(resolve(input.topologyFile ?? existing?.topologyFile ?? DEFAULT_TOPOLOGY_FILE));
    const backend =
      existing && !input.backend
        ? backendByName(existing.backend)
        : (await chooseBackend(input.backend)).backend;
    if (!existing) {
      const availability = await backend.detect();
      if (!availability.available && !availability.installable)
        throw new KartStreamError(
          'backend-unavailable',
          `the ${backend.name} backend cannot run here: ${availability.reason}`,
          { fix: `${availability.fix ?? 'see the doctor on the Labs page'}; or pick the sim backend` },
        );
    }
    if (input.monitoring) await requireMonitoringTools(backend.monitoring);
    const { taskId } = ctx.tasks.start(
      `Create lab ${name} (${backend.name})`,
      { kind: 'lab-create', lab: name },
      (task) =>
        upLab(
          {
            name,
            backend: input.backend,
            topologyFile: input.topologyFile,
            noMonitoring: !input.monitoring,
          },
          into(task),
        ),
    );
    return { taskId };
  };

  return {
    list: async () => {
      const labs: LabSummary[] = [];
      for (const name of await listLabNames()) {
        // A folder whose name is no lab name is not a lab (e.g. a file a tool left there).
        if (!isLabName(name)) continue;
        let record: LabRecord | undefined;
        try {
          record = await readLabRecord(name);
        } catch (error) {
          labs.push(brokenLab(name, error));
          continue;
        }
        // A folder without a record is a lab being removed, or no lab.
        if (!record) continue;
        const halfCreated = record.state === 'creating' && !(await labLockHolder(record.name));
        const problem = halfCreated ? halfCreatedError(record.name) : undefined;
        labs.push({
          name: record.name,
          backend: record.backend,
          state: record.state,
          createdAt: record.createdAt,
          monitoring: record.monitoring,
          ...(problem
            ? { problem: { message: problem.message, path: labRecordPath(record.name), fix: problem.fix } }
            : {}),
        });
      }
      return labs;
    },

    info: async (name) => {
      const { record, lab } = await openKnownLab(name);
      const info: LabInfo = {
        name: record.name,
        backend: record.backend,
        state: record.state,
        createdAt: record.createdAt,
        namespace: record.namespace,
        kubeconfigPath: lab.kubeconfigPath,
      };
      // While a lab is being created its kubeconfig may not exist yet.
      if (existsSync(lab.kubeconfigPath)) {
        const server = kubeClients(lab.kubeconfigPath).config.getCurrentCluster()?.server;
        if (server) info.apiServer = server;
      }
      // The server's own forwards to the lab's monitoring; absent while they cannot be opened.
      const monitoring = await readLabMonitoring(lab, record).catch(() => undefined);
      if (monitoring)
        info.monitoring = { prometheusUrl: monitoring.prometheus, alertmanagerUrl: monitoring.alertmanager };
      const shopUrl = backendByName(record.backend).shopUrl(lab);
      if (shopUrl) info.shopUrl = shopUrl;
      const grafanaUrl = ctx.grafana.url(record.name);
      if (grafanaUrl) info.grafanaUrl = grafanaUrl;
      return info;
    },

    backendChoice: async (requested) => {
      const choice = await chooseBackend(requested);
      if (!requested) return { backend: choice.backend.name, reason: choice.reason };
      // Picked by hand: say whether it can run here.
      const availability = await choice.backend.detect();
      const reason = availability.available
        ? `you picked ${requested}, and it can run here`
        : availability.installable
          ? `you picked ${requested}; ${availability.reason}, which the first lab builds (this takes several minutes)`
          : `you picked ${requested}, but it cannot run here: ${availability.reason}`;
      return { backend: requested, reason };
    },

    topology: async (topologyFile) => {
      const file = resolve(topologyFile ?? DEFAULT_TOPOLOGY_FILE);
      const topology = await loadTopology(file);
      const pools = topology.pools.map((p) => ({
        name: p.name,
        nodes: p.nodes,
        taint: showTaint(p.taint),
        labels: p.labels,
        instanceType: p.eks.instanceType,
      }));
      return { file, pools, totalNodes: pools.reduce((sum, p) => sum + p.nodes, 0) };
    },

    doctor: async () => {
      const report = await collectDoctorReport();
      return {
        findings: doctorFindings(report),
        conclusion: { backend: report.conclusion.backend, why: report.conclusion.why },
      };
    },

    create,

    remove: async (name) => {
      checkLabName(name);
      requireIdle(name);
      // A folder without a record is what a crash mid-create leaves; remove cleans it up too.
      if (!(await readLabRecord(name)) && !existsSync(labDir(name))) throw await unknownLab(name);
      const { taskId } = ctx.tasks.start(
        `Delete lab ${name}`,
        { kind: 'lab-delete', lab: name },
        async (task) => {
          // The lab's Grafana forward (kind/EKS) goes with it.
          await ctx.grafana.close(name);
          return downLab(name, into(task));
        },
      );
      return { taskId };
    },

    reset: async (name) => {
      await openKnownLab(name);
      requireIdle(name);
      const { taskId } = ctx.tasks.start(
        `Reset lab ${name}`,
        { kind: 'lab-reset', lab: name },
        async (task) => {
          task.step('Heal the nodes, restore the pool sizes and the shop');
          await resetLab(name, (line) => task.log(line));
        },
      );
      return { taskId };
    },
  };
};
