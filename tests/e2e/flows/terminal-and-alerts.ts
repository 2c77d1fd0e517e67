// The lab terminal runs kubectl against the lab (its nodes read back from xterm's rows), and
// scaling cartservice to zero from the map's workload row fires ShopServiceUnavailable in the
// alerts view.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { TEACHING_QUERIES } from '../../../core/contract/teaching-queries.ts';
// The shared wait, under the name this file's call sites use.
import { waitFor as waitUntil } from '../../helpers/wait.ts';
import { attr, screenshot } from '../helpers/browser.ts';
import { labDeployments, labNodes } from '../helpers/lab-check.ts';
import type { E2eSession } from '../helpers/session.ts';
import { terminalText, typeCommand } from '../helpers/terminal.ts';
import { openMap } from './cluster-map.ts';

const scaleFromMap = async (page: Page, workload: string, replicas: number): Promise<void> => {
  await openMap(page);
  await page.getByTestId(`workload-replicas-${workload}`).fill(String(replicas));
  await page.getByTestId(`workload-scale-${workload}`).click();
};

export const terminalTests = (s: E2eSession): void => {
  it('runs `kubectl get nodes` in the terminal and shows every node of the four pools', async () => {
    const { page } = s;
    const nodes = await labNodes(s.kubeconfig);
    await typeCommand(page, 'kubectl get nodes');
    const text = await waitUntil(
      'every node listed Ready in the terminal',
      () => terminalText(page),
      (t) => nodes.every((n) => new RegExp(`^${n.name}\\s+Ready\\b`, 'm').test(t)),
      30_000,
    );
    expect(text).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/m);
    expect(new Set(nodes.map((n) => n.pool))).toEqual(
      new Set(['frontend', 'backend', 'database', 'monitoring']),
    );
    await screenshot(page, 'terminal');
  });
};

export const alertTests = (s: E2eSession): void => {
  it('scales cartservice to 0 from the map and sees ShopServiceUnavailable fire in the alerts view', async () => {
    const { page } = s;
    const firingCart = page
      .locator('[data-testid="alert-row-ShopServiceUnavailable"][data-state="firing"]')
      .filter({ hasText: 'cartservice' });

    await scaleFromMap(page, 'cartservice', 0);
    const row = page.getByTestId('workload-row-cartservice');
    await waitUntil(
      'workload-row-cartservice desired 0',
      () => attr(row, 'data-desired'),
      (d) => d === '0',
      10_000,
    );
    await waitUntil(
      'cartservice scaled to 0 (kubectl)',
      async () => (await labDeployments(s.kubeconfig)).get('cartservice'),
      (d) => d?.[1] === 0 && d[0] === 0,
      30_000,
    );
    await waitUntil(
      'workload-row-cartservice available 0',
      () => attr(row, 'data-available'),
      (a) => a === '0',
      10_000,
    );

    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alerts-view').waitFor();
    for (const q of TEACHING_QUERIES) await page.getByTestId(`chart-${q.id}`).waitFor();
    // The rule waits its `for:` window, then Alertmanager groups: allow a few minutes.
    await firingCart.first().waitFor({ timeout: 240_000 });
    await screenshot(page, 'alerts');

    await scaleFromMap(page, 'cartservice', 1);
    await waitUntil(
      'workload-row-cartservice available 1',
      () => attr(row, 'data-available'),
      (a) => a === '1',
      90_000,
    );
    expect((await labDeployments(s.kubeconfig)).get('cartservice')).toEqual([1, 1]);
  });
};
