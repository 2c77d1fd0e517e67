// metrics-server in the kwokctl config: on only with the binary, the local manifests instead of
// GitHub, and the usage formula kwok evaluates (a share of each container's request).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { simBinaryPath } from '../../../core/backends/sim/binaries.ts';
import { renderKwokctlConfigFile, type KwokctlBinaries } from '../../../core/backends/sim/kwokctl-config.ts';
import {
  expectedUsageRange,
  METRICS_SERVER_MANIFESTS_DIR,
  usageExpression,
  USAGE_SHARE,
} from '../../../core/backends/sim/metrics-server-config.ts';

const BINARIES: KwokctlBinaries = {
  kubeApiserver: '/b/kube-apiserver',
  kubeControllerManager: '/b/kube-controller-manager',
  kubeScheduler: '/b/kube-scheduler',
  etcd: '/b/etcd',
  kwok: '/b/kwok',
  kubectl: '/b/kubectl',
};

const PORTS = {
  etcdPort: 20001,
  etcdPeerPort: 20002,
  kwokControllerPort: 20003,
  kubeControllerManagerPort: 20004,
  kubeSchedulerPort: 20005,
  metricsServerPort: 20006,
};

const docs = async (binaries: KwokctlBinaries) =>
  parseAllDocuments(
    await renderKwokctlConfigFile({ binaries, kubeApiserverPort: 6443, componentPorts: PORTS }),
  ).map((d) => d.toJS() as { kind: string; options?: Record<string, unknown>; spec?: unknown });

describe('metrics-server in the kwokctl config', () => {
  it('turns it on with the cached binary and the manifests shipped in infra/sim/metrics-server', async () => {
    const all = await docs({ ...BINARIES, metricsServer: '/b/metrics-server' });
    const options = all[0]?.options ?? {};
    expect(options.enable).toEqual(['metrics-server']);
    expect(options.metricsServerBinary).toBe('/b/metrics-server');
    // A local kustomize dir: kwokctl's default is a components.yaml on GitHub (unreachable offline).
    expect(options.metricsServerManifests).toEqual([METRICS_SERVER_MANIFESTS_DIR]);
    expect(existsSync(join(METRICS_SERVER_MANIFESTS_DIR, 'kustomization.yaml'))).toBe(true);
    const usage = all.filter((d) => d.kind === 'ClusterResourceUsage');
    expect(usage).toHaveLength(1);
    expect(JSON.stringify(usage[0]?.spec)).toContain('container.resources.requests[\\"cpu\\"]');
    // Stages are still there: the usage document is added, not swapped in.
    expect(all.filter((d) => d.kind === 'Stage').length).toBeGreaterThan(3);
  });

  it('leaves it off, with no usage document, when the binary is not installed', async () => {
    const all = await docs(BINARIES);
    expect(all[0]?.options?.enable).toBeUndefined();
    expect(all[0]?.options?.metricsServerBinary).toBeUndefined();
    expect(all[0]?.options?.metricsServerManifests).toBeUndefined();
    expect(all.some((d) => d.kind === 'ClusterResourceUsage')).toBe(false);
  });
});

describe('the usage formula', () => {
  it('is a share of the request: CPU 30–50 % (varying per scrape), memory a steady 60 %', () => {
    expect(usageExpression('cpu')).toContain('container.resources.requests["cpu"] * (0.3 + 0.2 * Rand())');
    expect(usageExpression('memory')).toContain('container.resources.requests["memory"] * 0.6');
    expect(expectedUsageRange('cpu', 100, 5)).toEqual([30, 50]);
    expect(expectedUsageRange('memory', 1000, 0)).toEqual([600, 600]);
  });
  it("honours kwok's usage annotations first and has a fallback for containers without requests", () => {
    const cpu = usageExpression('cpu');
    expect(cpu.indexOf('kwok.x-k8s.io/usage-cpu')).toBeLessThan(cpu.indexOf('requests'));
    expect(cpu).toContain(`Quantity("${USAGE_SHARE.cpu.fallback}")`);
    expect(usageExpression('memory')).toContain(`Quantity("${USAGE_SHARE.memory.fallback}")`);
    expect(expectedUsageRange('cpu', undefined, 5)).toEqual([5, 5]);
  });
});

const kubectl = simBinaryPath('kubectl');
describe.skipIf(!existsSync(kubectl))('the shipped metrics-server manifests (kubectl kustomize)', () => {
  it('build into the APIService for metrics.k8s.io and the Service it points at, nothing else', async () => {
    const { stdout } = await execa(kubectl, ['kustomize', METRICS_SERVER_MANIFESTS_DIR]);
    const objects = parseAllDocuments(stdout).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { name: string; namespace?: string };
          spec: Record<string, unknown>;
        },
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'APIService//v1beta1.metrics.k8s.io',
      'Service/kube-system/metrics-server',
    ]);
    const api = objects.find((o) => o.kind === 'APIService');
    expect(api?.spec).toMatchObject({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      service: { name: 'metrics-server', namespace: 'kube-system' },
    });
  });
});
