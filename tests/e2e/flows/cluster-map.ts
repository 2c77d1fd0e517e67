// The live cluster map against kubectl: four pool lanes with their taints, every node on its
// lane, every pod of the twelve workloads on its node and pool; then a backend node failed from
// its card goes not ready within seconds, its pods move, and it is healed from the map.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.ts';
import { attr, screenshot } from '../helpers/browser.ts';
import {
  allAvailable,
  expectedPool,
  labDeployments,
  labNodes,
  labPods,
  topologyPools,
} from '../helpers/lab-check.ts';
import type { E2eSession } from '../helpers/session.ts';

export const openMap = async (page: Page): Promise<void> => {
  await page.getByTestId('nav-map').click();
  await page.getByTestId('cluster-map').locator('[data-testid^="pool-lane-"]').first().waitFor();
};

/** Where a pod's chip is on the map: the testid of its node card and of its lane, or null. */
const chipPlace = async (page: Page, pod: string): Promise<string | null> => {
  const chip = page.getByTestId(`pod-chip-${pod}`);
  if ((await chip.count()) === 0) return null;
  const lane = chip.first().locator('xpath=ancestor::*[starts-with(@data-testid, "pool-lane-")][1]');
  const card = chip.first().locator('xpath=ancestor::*[starts-with(@data-testid, "node-card-")][1]');
  return `${await attr(card, 'data-testid')} in ${await attr(lane, 'data-testid')}`;
};

/** Clicks a node's card (its head, not a pod chip) and waits for the node's details. */
export const openNode = async (page: Page, node: string): Promise<void> => {
  await page
    .getByTestId(`node-card-${node}`)
    .getByRole('button', { name: new RegExp(`^node ${node},`) })
    .click();
  await page
    .getByTestId('node-details')
    .filter({ has: page.getByRole('heading', { name: node, exact: true }) })
    .waitFor();
};

export const clusterMapTests = (s: E2eSession): void => {
  it('shows the four pools with their taints, their nodes ready, and every pod on its pool', async () => {
    const { page } = s;
    await openMap(page);
    const pools = topologyPools();
    const lanes = page.locator('[data-testid^="pool-lane-"]');
    await waitFor(
      'a lane per pool',
      () => lanes.count(),
      (n) => n === pools.length,
      10_000,
    );
    for (const pool of pools) {
      const { key, value, effect } = pool.taint;
      expect(await page.getByTestId(`pool-lane-${pool.name}`).getAttribute('data-taint')).toBe(
        `${key}=${value}:${effect}`,
      );
    }

    const nodes = await labNodes(s.kubeconfig);
    expect(nodes.length).toBe(pools.reduce((sum, p) => sum + p.nodes, 0));
    for (const node of nodes) {
      const card = page.getByTestId(`pool-lane-${node.pool}`).getByTestId(`node-card-${node.name}`);
      await waitFor(
        `node-card-${node.name} ready`,
        () => attr(card, 'data-ready'),
        (r) => r === 'true',
        20_000,
      );
    }

    const pods = await labPods(s.kubeconfig);
    expect(new Set(pods.map((p) => p.app)).size).toBe(12); // the shop, redis-cart and the loadgenerator
    const poolOf = new Map(nodes.map((n) => [n.name, n.pool]));
    for (const pod of pods) {
      // kubectl: the pod runs on a node of its workload's pool; the map shows it there.
      expect(`${pod.app} on ${poolOf.get(pod.node)}`).toBe(`${pod.app} on ${expectedPool(pod.app)}`);
      await waitFor(
        `pod-chip-${pod.name} on its node`,
        () => chipPlace(page, pod.name),
        (place) => place === `node-card-${pod.node} in pool-lane-${expectedPool(pod.app)}`,
        20_000,
      );
      const chip = page.getByTestId(`pod-chip-${pod.name}`);
      expect([await chip.getAttribute('data-phase'), await chip.getAttribute('data-ready')]).toEqual([
        'Running',
        'true',
      ]);
    }
    const rows = page.locator('[data-testid^="workload-row-"]');
    expect(await rows.count()).toBe(12);
    for (const app of new Set(pods.map((p) => p.app))) {
      const row = page.getByTestId(`workload-row-${app}`);
      expect([await row.getAttribute('data-available'), await row.getAttribute('data-desired')]).toEqual([
        '1',
        '1',
      ]);
    }
    await screenshot(page, 'map');
  });
};

export const nodeFailureTests = (s: E2eSession): void => {
  it('fails a backend node from the map: not ready within seconds, its pods move; then heals it', async () => {
    const { page } = s;
    await openMap(page);
    const pods = await labPods(s.kubeconfig);
    const backendNodes = (await labNodes(s.kubeconfig))
      .filter((n) => n.pool === 'backend')
      .map((n) => n.name);
    expect(backendNodes).toHaveLength(2);
    const count = (node: string) => pods.filter((p) => p.node === node).length;
    const [victim, other] =
      count(backendNodes[0]!) >= count(backendNodes[1]!) ? backendNodes : [...backendNodes].reverse();
    const moved = pods.filter((p) => p.node === victim);
    expect(moved.length).toBeGreaterThan(0);

    await openNode(page, victim!);
    const failedAt = Date.now();
    await page.getByTestId('node-fail').click();
    const card = page.getByTestId(`node-card-${victim}`);
    await waitFor(
      `node-card-${victim} not ready`,
      () => attr(card, 'data-ready'),
      (r) => r === 'false',
      15_000,
      { intervalMs: 200 },
    );
    const notReadyAfter = Date.now() - failedAt;
    expect((await labNodes(s.kubeconfig)).find((n) => n.name === victim)?.ready).toBe(false);
    await screenshot(page, 'map-node-failed');

    // The pods leave the failed node: kubectl sees each workload running elsewhere, and the map
    // shows the new pod on the other backend node and no running copy left on the failed one.
    for (const pod of moved) {
      const replacement = await waitFor(
        `a new ${pod.app} pod running off ${victim} (kubectl)`,
        async () =>
          (await labPods(s.kubeconfig)).find(
            (p) => p.app === pod.app && p.node !== victim && p.phase === 'Running' && !p.terminating,
          ),
        (p) => p !== undefined,
        90_000,
        { intervalMs: 1_000 },
      );
      await waitFor(
        `pod-chip-${replacement!.name} on ${other}`,
        () => chipPlace(page, replacement!.name),
        (place) => place === `node-card-${other} in pool-lane-backend`,
        10_000,
      );
      const oldChip = card.getByTestId(`pod-chip-${pod.name}`);
      await waitFor(
        `pod-chip-${pod.name} gone from ${victim} or no longer running`,
        async () => ((await oldChip.count()) === 0 ? 'gone' : `${await attr(oldChip, 'data-phase')}`),
        (phase) => phase !== 'Running',
        10_000,
      );
    }
    await screenshot(page, 'map-pods-moved');
    expect(notReadyAfter).toBeLessThan(15_000);

    await openNode(page, victim!);
    await page.getByTestId('node-heal').click();
    await waitFor(
      `node-card-${victim} ready again`,
      () => attr(card, 'data-ready'),
      (r) => r === 'true',
      30_000,
    );
    await waitFor(
      'every Deployment available (kubectl)',
      () => labDeployments(s.kubeconfig),
      allAvailable,
      120_000,
      { intervalMs: 1_000 },
    );
  });
};
