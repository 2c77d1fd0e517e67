import { beforeAll, describe, expect, it } from 'vitest';
import {
  SHOP_WORKLOADS,
  allContainers,
  deployments,
  named,
  quantity,
  renderTemp,
  type Container,
  type K8sObject,
  type Workload,
} from './render.ts';

// Base and lite side by side, both with the optional loadgenerator so that lite's patch for it is
// covered too; placement last, as the order rule asks.
let full: K8sObject[] = [];
let lite: K8sObject[] = [];

beforeAll(async () => {
  full = await renderTemp({
    resources: ['base'],
    components: ['components/loadgenerator', 'components/placement'],
  });
  lite = await renderTemp({
    resources: ['base'],
    components: ['components/loadgenerator', 'components/lite', 'components/placement'],
  });
}, 60_000);

function pairs(): { w: Workload; c: Container; base: Container }[] {
  const out: { w: Workload; c: Container; base: Container }[] = [];
  for (const w of deployments(lite)) {
    const baseContainers = allContainers(named(deployments(full), w.metadata.name));
    for (const c of allContainers(w)) {
      const base = baseContainers.find((b) => b.name === c.name);
      if (!base) throw new Error(`${w.metadata.name}/${c.name} is not in the base`);
      out.push({ w, c, base });
    }
  }
  return out;
}

const MEMORY_FLOOR_MI: Record<string, number> = { adservice: 128, recommendationservice: 96 };

describe('the lite component', () => {
  it('keeps the same workloads and containers as the base', () => {
    const names = (objs: K8sObject[]) =>
      deployments(objs)
        .map((d) => d.metadata.name)
        .sort();
    expect(names(lite)).toEqual([...SHOP_WORKLOADS, 'loadgenerator'].sort());
    expect(names(lite)).toEqual(names(full));
    expect(pairs().length).toBe(deployments(full).flatMap(allContainers).length);
  });

  it('lowers every CPU and memory request below the base request', () => {
    for (const { w, c, base } of pairs()) {
      for (const res of ['cpu', 'memory']) {
        expect(
          quantity(c.resources?.requests?.[res]),
          `${w.metadata.name}/${c.name} requests.${res}`,
        ).toBeLessThan(quantity(base.resources?.requests?.[res]));
      }
    }
  });

  it('never raises a limit, and keeps each limit at or above its request', () => {
    for (const { w, c, base } of pairs()) {
      for (const res of ['cpu', 'memory']) {
        const at = `${w.metadata.name}/${c.name} ${res}`;
        const limit = quantity(c.resources?.limits?.[res]);
        expect(limit, at).toBeLessThanOrEqual(quantity(base.resources?.limits?.[res]));
        expect(limit, at).toBeGreaterThanOrEqual(quantity(c.resources?.requests?.[res]));
      }
    }
  });

  it('leaves the JVM adservice and the Python recommendationservice enough memory to start', () => {
    for (const [name, floor] of Object.entries(MEMORY_FLOOR_MI)) {
      const server = named(deployments(lite), name).spec.template.spec.containers[0] as Container;
      expect(quantity(server.resources?.requests?.memory), name).toBeGreaterThanOrEqual(floor * 2 ** 20);
      expect(quantity(server.resources?.limits?.memory), name).toBeGreaterThanOrEqual(256 * 2 ** 20);
    }
  });

  it('keeps the placement, which it must not disturb', () => {
    for (const w of deployments(lite)) {
      expect(w.spec.template.spec.nodeSelector, w.metadata.name).toEqual(
        named(deployments(full), w.metadata.name).spec.template.spec.nodeSelector,
      );
      expect(w.spec.template.spec.nodeSelector, w.metadata.name).toBeDefined();
    }
  });
});
