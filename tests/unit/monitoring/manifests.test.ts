// The monitoring stack's objects (manifests/monitoring/overlays/*), rendered with the real
// `kubectl kustomize`: namespace, placement on the monitoring pool, node-exporter everywhere,
// pinned images, non-root read-only containers, laptop-sized resources, RBAC and wiring.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  POOL_LABEL,
  loadTopology,
  quantity,
  workloads,
  type K8sObject,
  type Service,
  type Topology,
} from '../manifests/render.ts';
import {
  MONITORING_OVERLAYS,
  argValue,
  configMapOfVolume,
  mountPathOf,
  renderMonitoring,
  rulesFile,
  workloadNamed,
  type MonitoringOverlay,
  type MountedContainer,
  type MountedWorkload,
} from './tools.ts';

const POOLED = ['alertmanager', 'grafana', 'kube-state-metrics', 'prometheus'];
const IMAGES: Record<string, RegExp> = {
  prometheus: /^prom\/prometheus:v3\.\d+\.\d+$/,
  alertmanager: /^prom\/alertmanager:v0\.\d+\.\d+$/,
  grafana: /^grafana\/grafana:\d+\.\d+\.\d+$/,
  'kube-state-metrics': /^registry\.k8s\.io\/kube-state-metrics\/kube-state-metrics:v2\.\d+\.\d+$/,
  'node-exporter': /^prom\/node-exporter:v1\.\d+\.\d+$/,
};
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}
interface ClusterRole extends K8sObject {
  rules: PolicyRule[];
}
interface ClusterRoleBinding extends K8sObject {
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

const rendered = {} as Record<MonitoringOverlay, K8sObject[]>;
let topology: Topology;

beforeAll(async () => {
  for (const o of MONITORING_OVERLAYS) rendered[o] = await renderMonitoring(o);
  topology = await loadTopology();
}, 60_000);

const mounted = (objs: K8sObject[]): MountedWorkload[] => workloads(objs) as unknown as MountedWorkload[];
const containersOf = (w: MountedWorkload): MountedContainer[] => [
  ...(w.spec.template.spec.initContainers ?? []),
  ...w.spec.template.spec.containers,
];
const where = (w: K8sObject, c?: { name: string }): string =>
  `${w.kind}/${w.metadata.name}${c ? `/${c.name}` : ''}`;

/** True when `rules` allow every verb on `resource` (group "" is the core API). */
function allows(rules: PolicyRule[], group: string, resource: string, verbs: string[]): boolean {
  return verbs.every((verb) =>
    rules.some(
      (r) =>
        (r.apiGroups ?? []).includes(group) &&
        (r.resources ?? []).includes(resource) &&
        r.verbs.includes(verb),
    ),
  );
}

describe.each(MONITORING_OVERLAYS)('the %s monitoring overlay', (o) => {
  const objs = (): K8sObject[] => rendered[o];

  it('puts everything in namespace monitoring', () => {
    expect(
      objs()
        .filter((x) => x.kind === 'Namespace')
        .map((x) => x.metadata.name),
    ).toEqual(['monitoring']);
    for (const x of objs().filter((y) => !CLUSTER_SCOPED.has(y.kind))) {
      expect(x.metadata.namespace, where(x)).toBe('monitoring');
    }
  });

  it('deploys Prometheus, Alertmanager, Grafana, kube-state-metrics and the node-exporter DaemonSet', () => {
    const ws = workloads(objs()).map((w) => `${w.kind}/${w.metadata.name}`);
    expect(ws.sort()).toEqual([...POOLED.map((n) => `Deployment/${n}`), 'DaemonSet/node-exporter'].sort());
  });

  it('places every Deployment and StatefulSet on the monitoring pool, as the topology declares it', () => {
    const pool = topology.pools.find((p) => p.name === 'monitoring');
    expect(pool).toBeDefined();
    const taint = pool?.taint as { key: string; value: string; effect: string };
    const pinned = mounted(objs()).filter((w) => w.kind === 'Deployment' || w.kind === 'StatefulSet');
    expect(pinned.map((w) => w.metadata.name).sort()).toEqual(POOLED);
    for (const w of pinned) {
      const spec = w.spec.template.spec;
      expect(spec.nodeSelector, where(w)).toEqual(pool?.labels);
      expect(spec.tolerations, where(w)).toEqual([
        { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect },
      ]);
      expect(w.metadata.labels?.[POOL_LABEL], where(w)).toBe('monitoring');
      expect(w.spec.template.metadata.labels?.[POOL_LABEL], where(w)).toBe('monitoring');
    }
  });

  it('runs node-exporter on every node: no tier label, no nodeSelector, tolerates every taint', () => {
    const ne = workloadNamed(objs(), 'node-exporter');
    expect(ne.kind).toBe('DaemonSet');
    expect(ne.metadata.labels?.[POOL_LABEL]).toBeUndefined();
    expect(ne.spec.template.metadata.labels?.[POOL_LABEL]).toBeUndefined();
    expect(ne.spec.template.spec.nodeSelector).toBeUndefined();
    expect(ne.spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('pins every image to an exact version tag, never latest', () => {
    for (const w of mounted(objs())) {
      for (const c of containersOf(w)) {
        expect(c.image, where(w, c)).not.toMatch(/:latest$/);
        expect(c.image, where(w, c)).toMatch(IMAGES[w.metadata.name] as RegExp);
      }
    }
  });

  it('runs every container as non-root with a read-only root filesystem and no extra privileges', () => {
    for (const w of mounted(objs())) {
      const pod = w.spec.template.spec;
      expect(pod.securityContext?.runAsNonRoot, where(w)).toBe(true);
      expect(pod.securityContext?.runAsUser, where(w)).toBeGreaterThan(0);
      expect(pod.securityContext?.seccompProfile?.type, where(w)).toBe('RuntimeDefault');
      for (const c of containersOf(w)) {
        expect(c.securityContext?.readOnlyRootFilesystem, where(w, c)).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation, where(w, c)).toBe(false);
        expect(c.securityContext?.privileged, where(w, c)).toBe(false);
        expect(c.securityContext?.capabilities?.drop, where(w, c)).toEqual(['ALL']);
      }
    }
  });

  it('gives writable paths an emptyDir with a size limit, and mounts only volumes that exist', () => {
    for (const w of mounted(objs())) {
      const volumes = new Map((w.spec.template.spec.volumes ?? []).map((v) => [v.name, v]));
      for (const c of containersOf(w)) {
        for (const m of c.volumeMounts ?? [])
          expect(volumes.has(m.name), `${where(w, c)} mounts ${m.name}`).toBe(true);
      }
      for (const v of volumes.values()) {
        if (v.emptyDir) expect(v.emptyDir.sizeLimit, `${where(w)} volume ${v.name}`).toBeDefined();
        if (v.hostPath) expect(w.metadata.name, `hostPath ${v.hostPath.path}`).toBe('node-exporter');
      }
    }
    const ne = workloadNamed(objs(), 'node-exporter').spec.template.spec.containers[0];
    for (const m of ne?.volumeMounts ?? []) expect(m.readOnly, m.name).toBe(true);
  });

  it('sets laptop-sized requests and limits that fit the monitoring pool', () => {
    let cpu = 0;
    let memory = 0;
    for (const w of mounted(objs())) {
      for (const c of containersOf(w)) {
        const { requests, limits } = c.resources ?? {};
        expect(requests?.cpu && requests.memory && limits?.cpu && limits.memory, where(w, c)).toBeTruthy();
        expect(quantity(limits?.cpu), where(w, c)).toBeLessThanOrEqual(1);
        expect(quantity(limits?.memory), where(w, c)).toBeLessThanOrEqual(1 * 2 ** 30);
        expect(quantity(requests?.cpu), where(w, c)).toBeLessThanOrEqual(quantity(limits?.cpu));
        expect(quantity(requests?.memory), where(w, c)).toBeLessThanOrEqual(quantity(limits?.memory));
        cpu += quantity(requests?.cpu);
        memory += quantity(requests?.memory);
      }
    }
    const capacity = (
      topology.pools.find((p) => p.name === 'monitoring') as unknown as {
        capacity: { cpu: string; memory: string };
      }
    ).capacity;
    expect(cpu).toBeLessThan(quantity(capacity.cpu) / 2);
    expect(memory).toBeLessThan(quantity(capacity.memory) / 2);
  });

  it('gives Prometheus the read access it needs and nothing to write', () => {
    const role = objs().find(
      (x) => x.kind === 'ClusterRole' && x.metadata.name === 'kartstream-prometheus',
    ) as ClusterRole;
    expect(role).toBeDefined();
    for (const r of ['nodes', 'nodes/metrics', 'nodes/proxy', 'services', 'endpoints', 'pods']) {
      expect(allows(role.rules, '', r, ['get', 'list', 'watch']), r).toBe(true);
    }
    expect(allows(role.rules, 'discovery.k8s.io', 'endpointslices', ['get', 'list', 'watch'])).toBe(true);
    expect(role.rules).toContainEqual({ nonResourceURLs: ['/metrics'], verbs: ['get'] });
    for (const rule of role.rules)
      expect(rule.verbs.filter((v) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
  });

  it('lets kube-state-metrics list and watch exactly the resources it is told to export', () => {
    const ksm = workloadNamed(objs(), 'kube-state-metrics');
    const args = ksm.spec.template.spec.containers[0]?.args;
    const resources = (argValue(args, '--resources') ?? '').split(',');
    expect(resources.length).toBeGreaterThan(0);
    const role = objs().find(
      (x) => x.kind === 'ClusterRole' && x.metadata.name === 'kartstream-kube-state-metrics',
    ) as ClusterRole;
    const APPS = new Set(['daemonsets', 'deployments', 'replicasets', 'statefulsets']);
    for (const r of resources)
      expect(allows(role.rules, APPS.has(r) ? 'apps' : '', r, ['list', 'watch']), r).toBe(true);
    const granted = role.rules.flatMap((r) => r.resources ?? []).sort();
    expect(granted).toEqual([...resources].sort());
    for (const rule of role.rules) expect(rule.verbs.sort()).toEqual(['list', 'watch']);
    // The rules read the tier label of pods and Deployments, `app` of pods and `pool` of nodes.
    expect(argValue(args, '--metric-labels-allowlist')).toBe(
      'pods=[kartstream.dev/pool,app],deployments=[kartstream.dev/pool],nodes=[pool]',
    );
    for (const needed of ['pods', 'deployments', 'nodes']) expect(resources).toContain(needed);
  });

  it('binds each ClusterRole to a ServiceAccount that exists in namespace monitoring, used by its workload', () => {
    const bindings = objs().filter((x) => x.kind === 'ClusterRoleBinding') as ClusterRoleBinding[];
    expect(bindings.map((b) => b.metadata.name).sort()).toEqual([
      'kartstream-kube-state-metrics',
      'kartstream-prometheus',
    ]);
    for (const b of bindings) {
      expect(objs().some((x) => x.kind === 'ClusterRole' && x.metadata.name === b.roleRef.name)).toBe(true);
      for (const s of b.subjects) {
        expect(s.namespace, b.metadata.name).toBe('monitoring');
        expect(objs().some((x) => x.kind === 'ServiceAccount' && x.metadata.name === s.name)).toBe(true);
        expect(workloadNamed(objs(), s.name).spec.template.spec.serviceAccountName).toBe(s.name);
      }
    }
  });

  it('points each Service at one workload and at a port its container listens on', () => {
    const svcs = objs().filter((x) => x.kind === 'Service') as Service[];
    expect(svcs.map((s) => s.metadata.name).sort()).toEqual(POOLED);
    for (const s of svcs) {
      expect(s.spec.type, s.metadata.name).toBe('ClusterIP');
      const selected = mounted(objs()).filter((w) =>
        Object.entries(s.spec.selector ?? {}).every(([k, v]) => w.spec.template.metadata.labels?.[k] === v),
      );
      expect(
        selected.map((w) => w.metadata.name),
        s.metadata.name,
      ).toEqual([s.metadata.name]);
      const ports = (selected[0]?.spec.template.spec.containers ?? []).flatMap((c) => c.ports ?? []);
      for (const p of s.spec.ports)
        expect(
          ports.map((x) => x.containerPort),
          s.metadata.name,
        ).toContain(p.targetPort);
    }
  });

  it('announces scrape targets on ports the pods listen on (prometheus.io annotations)', () => {
    const annotated = mounted(objs()).filter(
      (w) => w.spec.template.metadata.annotations?.['prometheus.io/scrape'],
    );
    expect(annotated.map((w) => w.metadata.name).sort()).toEqual([
      'alertmanager',
      'grafana',
      'node-exporter',
    ]);
    for (const w of annotated) {
      const port = Number(w.spec.template.metadata.annotations?.['prometheus.io/port']);
      const ports = w.spec.template.spec.containers.flatMap((c) => c.ports ?? []).map((p) => p.containerPort);
      expect(ports, w.metadata.name).toContain(port);
    }
  });

  it('loads the one rules file into Prometheus, byte for byte, where rule_files looks for it', async () => {
    const prom = workloadNamed(objs(), 'prometheus');
    const rules = configMapOfVolume(objs(), 'prometheus', 'rules');
    expect(rules.data?.['kartstream-alerts.yaml']).toBe(await readFile(rulesFile, 'utf8'));
    const configFile = argValue(prom.spec.template.spec.containers[0]?.args, '--config.file') as string;
    expect(path.posix.dirname(configFile)).toBe(mountPathOf(prom, 'config'));
    const config =
      configMapOfVolume(objs(), 'prometheus', 'config').data?.[path.posix.basename(configFile)] ?? '';
    const ruleFiles = /^rule_files:\n\s+- (\S+)$/m.exec(config)?.[1] as string;
    expect(path.posix.dirname(path.posix.resolve(path.posix.dirname(configFile), ruleFiles))).toBe(
      mountPathOf(prom, 'rules'),
    );
  });

  it('gives Alertmanager its config file at the path it is told to read', () => {
    const am = workloadNamed(objs(), 'alertmanager');
    const configFile = argValue(am.spec.template.spec.containers[0]?.args, '--config.file') as string;
    expect(path.posix.dirname(configFile)).toBe(mountPathOf(am, 'config'));
    expect(
      configMapOfVolume(objs(), 'alertmanager', 'config').data?.[path.posix.basename(configFile)],
    ).toBeTruthy();
    // A single Alertmanager with clustering off: it must not wait for peers.
    expect(argValue(am.spec.template.spec.containers[0]?.args, '--cluster.listen-address')).toBe('');
  });
});

describe('the monitoring overlays', () => {
  it('render the same objects on kind, eks and sim (sim is kind without containers)', () => {
    expect(rendered.eks).toEqual(rendered.kind);
    expect(rendered.sim).toEqual(rendered.kind);
  });
});
