// The Service graph view on a sim lab: the shop's workloads in their pools (as kubectl places
// them), every call of the shop drawn with its live rate; clicking a call shows its PromQL, which
// `kartstream query` runs to the same kind of figure; cartservice scaled to 0 with kubectl turns
// the frontend's call to it red, and it heals when scaled back.
import { execa } from 'execa';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.ts';
import { cli } from '../../integration/helpers/lab-env.ts';
import { attr, screenshot, shownErrors } from '../helpers/browser.ts';
import { expectedPool, labDeployments } from '../helpers/lab-check.ts';
import type { E2eSession } from '../helpers/session.ts';

const edge = (page: Page, from: string, to: string) => page.getByTestId(`graph-edge-${from}-${to}`);

const edgeLook = (page: Page, from: string, to: string) => attr(edge(page, from, to), 'data-look');

export const serviceGraphTests = (s: E2eSession): void => {
  const kubectl = (args: string[]) =>
    execa('kubectl', ['--kubeconfig', s.kubeconfig, '-n', 'shop', ...args], { timeout: 120_000 });

  it('draws the shop’s workloads by pool and each call with its rate; a click shows the call’s PromQL', async () => {
    const { page } = s;
    await page.getByTestId('nav-graph').click();
    await page.getByTestId('graph-view').waitFor();
    await waitFor(
      'the frontend→cartservice call to carry traffic',
      async () => {
        const errors = await shownErrors(page);
        if (errors) throw new Error(`the graph shows an error: ${errors}`);
        return edgeLook(page, 'frontend', 'cartservice');
      },
      (look) => look === 'ok',
      120_000,
    );
    // every Deployment kubectl lists is a box, in the lane of the pool it is placed on
    const deployments = [...(await labDeployments(s.kubeconfig)).keys()];
    expect(deployments).toHaveLength(12);
    for (const name of deployments) {
      const label = await page.getByTestId(`graph-node-${name}`).getAttribute('aria-label');
      expect(label).toContain(`${name} in pool ${expectedPool(name)}`);
    }
    expect(await page.locator('[data-testid^="graph-edge-"][role="button"]').count()).toBe(16);
    expect(await edgeLook(page, 'cartservice', 'redis-cart')).not.toBe('failing');
    await screenshot(page, 'service-graph');

    // the label is the visible part of the call: click it, as a user would
    await edge(page, 'frontend', 'cartservice').locator('text').click();
    const details = page.getByTestId('graph-edge-details');
    await details.waitFor();
    const queries = await details.getByTestId('graph-edge-promql').allInnerTexts();
    expect(queries[0]).toContain('source_workload="frontend", destination_workload="cartservice"');
    // the PromQL shown is real: Prometheus answers it with the call's rate
    const r = await cli(['query', queries[0]!, '--name', s.lab, '-o', 'json']);
    const result = JSON.parse(r.stdout) as { result: { value: [number, string] }[] };
    expect(Number(result.result[0]?.value[1])).toBeGreaterThan(0);
    expect(await details.getByTestId('graph-edge-rps').innerText()).toMatch(/\/s$/);
  }, 240_000);

  it('turns the call to a scaled-down cartservice red, and green again once it is back', async () => {
    const { page } = s;
    await kubectl(['scale', 'deployment/cartservice', '--replicas=0']);
    try {
      await waitFor(
        'frontend→cartservice drawn failing',
        () => edgeLook(page, 'frontend', 'cartservice'),
        (l) => l === 'failing',
        90_000,
      );
      expect(await attr(page.getByTestId('graph-node-cartservice'), 'data-look')).toBe('scaled-down');
      expect(await page.getByTestId('graph-summary').innerText()).toMatch(/^[1-9]\d* failing call/);
      await screenshot(page, 'service-graph-cart-down');
    } finally {
      await kubectl(['scale', 'deployment/cartservice', '--replicas=1']);
      await kubectl(['rollout', 'status', 'deployment/cartservice', '--timeout=120s']);
    }
    // the 1m rate window forgets the failures within a minute or so
    await waitFor(
      'frontend→cartservice healthy again',
      () => edgeLook(page, 'frontend', 'cartservice'),
      (l) => l === 'ok',
      150_000,
    );
  }, 360_000);
};
