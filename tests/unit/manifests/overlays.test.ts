import { beforeAll, describe, expect, it } from 'vitest';
import {
  OVERLAYS,
  SHOP_WORKLOADS,
  deployments,
  kustomize,
  loadTopology,
  manifestsDir,
  named,
  renderOverlay,
  services,
  type K8sObject,
  type OverlayName,
} from './render.ts';
import path from 'node:path';

const rendered = {} as Record<OverlayName, K8sObject[]>;
let base: K8sObject[] = [];

beforeAll(async () => {
  for (const o of OVERLAYS) rendered[o] = await renderOverlay(o);
  base = await kustomize(path.join(manifestsDir, 'base'));
}, 60_000);

const CLUSTER_SCOPED = new Set(['Namespace']);

describe('the overlays', () => {
  it.each(OVERLAYS)('the %s overlay renders, with the shop namespace and every object inside it', (o) => {
    const objs = rendered[o];
    expect(objs.length).toBeGreaterThan(0);
    const namespaces = objs.filter((x) => x.kind === 'Namespace').map((x) => x.metadata.name);
    expect(namespaces).toEqual(['shop']);
    for (const obj of objs.filter((x) => !CLUSTER_SCOPED.has(x.kind))) {
      expect(obj.metadata.namespace, `${obj.kind}/${obj.metadata.name}`).toBe('shop');
    }
  });

  it('the sim overlay prints exactly 12 Deployments (the shop and its loadgenerator), all in namespace shop', () => {
    const deps = deployments(rendered.sim);
    expect(deps).toHaveLength(12);
    expect(deps.map((d) => d.metadata.namespace)).toEqual(Array(12).fill('shop'));
  });

  // sim's loadgenerator feeds the traffic model (docs/traffic.md); kind's is the real Locust
  it.each(OVERLAYS)('the %s overlay deploys the ten services and redis-cart (sim, kind: and the loadgenerator), nothing more', (o) => {
    const expected = o === 'eks' ? SHOP_WORKLOADS : [...SHOP_WORKLOADS, 'loadgenerator'].sort();
    expect(
      deployments(rendered[o])
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(expected);
  });

  it.each(['sim', 'kind'] as const)('the %s loadgenerator runs on the frontend pool with the upstream USERS', (o) => {
    const lg = named(deployments(rendered[o]), 'loadgenerator');
    expect(lg.spec.template.spec.nodeSelector).toEqual({ pool: 'frontend' });
    expect(lg.spec.template.spec.containers[0]?.env).toContainEqual({ name: 'USERS', value: '10' });
  });

  it('the base sets no namespace, so overlays choose it', () => {
    expect(base.length).toBeGreaterThan(0);
    for (const obj of base) expect(obj.metadata.namespace, `${obj.kind}/${obj.metadata.name}`).toBeUndefined();
  });

  it("the kind overlay makes frontend-external a NodePort on the topology's frontendAccess.nodePort", async () => {
    const topology = await loadTopology();
    const svc = named(services(rendered.kind), 'frontend-external');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports).toHaveLength(1);
    expect(svc.spec.ports[0]?.nodePort).toBe(topology.frontendAccess.nodePort);
    expect(svc.spec.ports[0]?.port).toBe(80);
    expect(svc.spec.ports[0]?.targetPort).toBe(8080);
  });

  it('the eks overlay keeps frontend-external a LoadBalancer', () => {
    const svc = named(services(rendered.eks), 'frontend-external');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports.map((p) => [p.port, p.targetPort])).toEqual([[80, 8080]]);
  });

  it('the sim overlay makes frontend-external a ClusterIP, since a simulated cluster has no load balancer', () => {
    const svc = named(services(rendered.sim), 'frontend-external');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports.every((p) => p.nodePort === undefined)).toBe(true);
  });

  it.each(OVERLAYS)(
    'in the %s overlay both frontend Services select the frontend pods and map port 80 to 8080',
    (o) => {
      for (const name of ['frontend', 'frontend-external']) {
        const svc = named(services(rendered[o]), name);
        expect(svc.spec.selector, name).toEqual({ app: 'frontend' });
        expect(
          svc.spec.ports.map((p) => [p.name, p.port, p.targetPort]),
          name,
        ).toEqual([['http', 80, 8080]]);
      }
      expect(named(services(rendered[o]), 'frontend').spec.type).toBe('ClusterIP');
    },
  );
});
