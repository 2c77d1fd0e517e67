// The app end to end, as a learner uses it in Chromium: `kartstream serve` on a fresh home, a sim
// lab created from the page, the live map and its CPU/memory figures, the terminal, an alert, the
// dashboards, the service graph, a failed node, the failover scenario to its debrief, and promote
// against moto_server. One lab for the whole file, created by the first test and removed by the
// last; the tests run in this order, and each leaves the lab as the next expects it. kubectl (from
// PATH), the CLI and boto3 check what the page shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, processesMentioning } from '../integration/helpers/lab-env.ts';
import { screenshotOnFailure, waitForTaskDone } from './helpers/browser.ts';
import { closeSession, downWithCli, openSession, removeHome, type E2eSession } from './helpers/session.ts';
import { clusterMapTests, nodeFailureTests } from './flows/cluster-map.ts';
import { createLabTests } from './flows/create-lab.ts';
import { dashboardsTests } from './flows/dashboards.ts';
import { failoverScenarioTests } from './flows/failover-scenario.ts';
import { promoteTests } from './flows/promote.ts';
import { serviceGraphTests } from './flows/service-graph.ts';
import { alertTests, terminalTests } from './flows/terminal-and-alerts.ts';
import { usageTests } from './flows/usage.ts';

describe('KartStream in Chromium', () => {
  // Filled in by beforeAll; the flows read it when their tests run.
  const s = {} as E2eSession;
  screenshotOnFailure(() => s.page);

  beforeAll(async () => {
    Object.assign(s, await openSession('e2e-lab'));
  });

  afterAll(async () => {
    if (s.app && !s.stopped) await closeSession(s);
    // Idempotent: a lab the last test removed is simply not there.
    if (s.home) await downWithCli(s);
    if (s.home) removeHome(s);
  });

  createLabTests(s);
  clusterMapTests(s);
  usageTests(s);
  terminalTests(s);
  alertTests(s);
  dashboardsTests(s);
  serviceGraphTests(s);
  nodeFailureTests(s);
  failoverScenarioTests(s);
  promoteTests(s);

  it('threw no uncaught error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });

  it('deletes the lab from the page; serve then stops leaving none of their processes behind', async () => {
    const { page } = s;
    await page.getByTestId('nav-labs').click();
    await page.getByTestId(`lab-delete-${s.lab}`).click();
    await page.getByTestId(`lab-delete-confirm-${s.lab}`).click();
    await waitForTaskDone(page, new RegExp(`Delete lab ${s.lab}\\b`), 120_000);
    await page.getByTestId(`lab-row-${s.lab}`).waitFor({ state: 'detached' });
    const status = await cli(['status', '--name', s.lab]);
    expect(status.exitCode).not.toBe(0);
    expect(await closeSession(s)).toEqual({ exited: true, leftovers: [] });
    expect(await processesMentioning(s.home)).toEqual([]);
  });
});
