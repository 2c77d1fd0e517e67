import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXPECTED_POOL,
  OVERLAYS,
  POOL_LABEL,
  loadTopology,
  manifestsDir,
  named,
  readYaml,
  renderOverlay,
  renderTemp,
  workloads,
  type K8sObject,
  type OverlayName,
  type Topology,
  type Workload,
} from './render.ts';

const placementDir = path.join(manifestsDir, 'components', 'placement');

interface PlacementPatch {
  path: string;
  target: { kind?: string; labelSelector?: string };
}
interface PatchBody {
  spec: { template: { spec: { nodeSelector?: Record<string, string>; tolerations?: unknown[] } } };
}

const rendered = {} as Record<OverlayName, K8sObject[]>;
let topology: Topology;

beforeAll(async () => {
  for (const o of OVERLAYS) rendered[o] = await renderOverlay(o);
  topology = await loadTopology();
}, 60_000);

/** Asserts that a workload is pinned to `pool`: the node label selector and the toleration for its taint. */
function expectPlacedOn(w: Workload, pool: string): void {
  const where = `${w.kind}/${w.metadata.name}`;
  const spec = w.spec.template.spec;
  expect(spec.nodeSelector, where).toEqual({ pool });
  expect(spec.tolerations, where).toContainEqual({
    key: 'pool',
    operator: 'Equal',
    value: pool,
    effect: 'NoSchedule',
  });
  // The tier label that chose the patch agrees with the pool it got.
  expect(w.metadata.labels?.[POOL_LABEL], where).toBe(pool);
  expect(w.spec.template.metadata.labels?.[POOL_LABEL], where).toBe(pool);
}

describe('placement on the node pools', () => {
  it.each(OVERLAYS)('every workload in the %s overlay is placed on its pool', (o) => {
    const ws = workloads(rendered[o]);
    const expected = o === 'eks' ? Object.keys(EXPECTED_POOL) : [...Object.keys(EXPECTED_POOL), 'loadgenerator'];
    expect(ws.map((w) => w.metadata.name).sort()).toEqual(expected.sort());
    for (const w of ws) {
      const pool = w.metadata.name === 'loadgenerator' ? 'frontend' : EXPECTED_POOL[w.metadata.name];
      expect(pool, w.metadata.name).toBeDefined();
      expectPlacedOn(w, pool as string);
    }
  });

  it('an overlay with the loadgenerator component puts loadgenerator on the frontend pool', async () => {
    const objs = await renderTemp({
      namespace: 'shop',
      resources: ['base'],
      components: ['components/loadgenerator', 'components/placement'],
    });
    expectPlacedOn(named(workloads(objs), 'loadgenerator'), 'frontend');
    expectPlacedOn(named(workloads(objs), 'frontend'), 'frontend');
    expect(objs.some((o) => o.kind === 'Service' && o.metadata.name === 'loadgenerator')).toBe(false);
  });

  it('a loadgenerator listed after placement is left unplaced, which is why the order rule exists', async () => {
    const objs = await renderTemp({
      resources: ['base'],
      components: ['components/placement', 'components/loadgenerator'],
    });
    expect(named(workloads(objs), 'loadgenerator').spec.template.spec.nodeSelector).toBeUndefined();
  });

  it("the placement component's keys, values and effects equal the pools in infra/topology.yaml", async () => {
    const component = (await readYaml(path.join(placementDir, 'kustomization.yaml'))) as {
      kind: string;
      patches: PlacementPatch[];
    };
    expect(component.kind).toBe('Component');
    expect(topology.pools.length).toBeGreaterThan(0);
    for (const pool of topology.pools) {
      const patches = component.patches.filter((p) => p.target.labelSelector === `${POOL_LABEL}=${pool.name}`);
      expect(patches, `patches for pool ${pool.name}`).toHaveLength(1);
      const patch = patches[0] as PlacementPatch;
      expect(patch.target.kind).toBe('(Deployment|DaemonSet|StatefulSet)');
      const body = (await readYaml(path.join(placementDir, patch.path))) as PatchBody;
      const spec = body.spec.template.spec;
      expect(spec.nodeSelector, pool.name).toEqual(pool.labels);
      expect(spec.tolerations, pool.name).toEqual([
        { key: pool.taint.key, operator: 'Equal', value: pool.taint.value, effect: pool.taint.effect },
      ]);
    }
  });

  it('each of the four pools has a placement patch, and there is none for a pool the topology lacks', async () => {
    const component = (await readYaml(path.join(placementDir, 'kustomization.yaml'))) as {
      patches: PlacementPatch[];
    };
    const patched = component.patches.map((p) => p.target.labelSelector).sort();
    const pools = topology.pools.map((p) => `${POOL_LABEL}=${p.name}`).sort();
    expect(pools).toEqual(['backend', 'database', 'frontend', 'monitoring'].map((p) => `${POOL_LABEL}=${p}`));
    expect(patched).toEqual(pools);
  });

  it('placement pins DaemonSets and StatefulSets by their tier label, and leaves Services and unlabelled workloads alone', async () => {
    const pod = (labels: string) => `
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x${labels}}}
    spec:
      containers: [{name: c, image: example/c:1.0}]`;
    const extra = `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: watcher, labels: {${POOL_LABEL}: monitoring}}
spec:${pod(`, ${POOL_LABEL}: monitoring`)}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: store, labels: {${POOL_LABEL}: database}}
spec:
  serviceName: store${pod(`, ${POOL_LABEL}: database`)}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: untiered}
spec:${pod('')}
`;
    const objs = await renderTemp({
      resources: ['base', 'extra.yaml'],
      components: ['components/placement'],
      files: { 'extra.yaml': extra },
    });
    expectPlacedOn(named(workloads(objs), 'watcher'), 'monitoring');
    expectPlacedOn(named(workloads(objs), 'store'), 'database');
    const untiered = named(workloads(objs), 'untiered').spec.template.spec;
    expect(untiered.nodeSelector).toBeUndefined();
    expect(untiered.tolerations).toBeUndefined();
    for (const svc of objs.filter((o) => o.kind === 'Service')) {
      expect(JSON.stringify(svc), svc.metadata.name).not.toContain('nodeSelector');
    }
  });
});
