// The Logs panel in Chromium, on a sim lab made with the CLI: a Deployment's pods' start-up lines
// with the pod on each line, a pod that starts later followed live, a crash loop's last words
// under "Previous", and the empty state of a Deployment scaled to 0. kubectl names the pods.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli } from '../integration/helpers/lab-env.ts';
import { launchChromium, screenshot, screenshotOnFailure } from './helpers/browser.ts';
import { startServe, type ServedApp } from './helpers/serve.ts';

const LAB = 'e2e-logs';

describe('the Logs panel of a Deployment', () => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-e2e-logs-'));
  let kubeconfig = '';
  let app: ServedApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  screenshotOnFailure(() => page);

  const kubectl = async (args: string[]) =>
    String(
      (await execa('kubectl', ['--kubeconfig', kubeconfig, '-n', 'shop', ...args], { timeout: 60_000 }))
        .stdout,
    );
  const podNames = async (app: string) =>
    (await kubectl(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}']))
      .split(/\s+/)
      .filter(Boolean);
  /** The panel's lines as `pod: text`. */
  const shownLines = async () => {
    // One read of each row: the panel is live, two reads could see different lists.
    return page
      .getByTestId('deployment-logs')
      .getByTestId('log-line')
      .evaluateAll((els) =>
        els.map(
          (el) => `${el.getAttribute('data-pod') ?? ''}: ${el.querySelector('.log-text')?.textContent ?? ''}`,
        ),
      );
  };
  const openLogsOf = async (deployment: string) => {
    await page.getByTestId(`workload-logs-${deployment}`).click();
    await page.locator(`[data-testid="deployment-logs"][data-deployment="${deployment}"]`).waitFor();
  };

  beforeAll(async () => {
    process.env.KARTSTREAM_HOME = home;
    const up = await cli(['up', '--backend', 'sim', '--name', LAB]);
    expect(up.exitCode, up.stderr).toBe(0);
    kubeconfig = (await labContext(await requireLabRecord(LAB))).kubeconfigPath;
    app = await startServe({ home });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(app.url);
    await page.getByTestId('nav-map').click();
    await page.getByTestId('workload-row-frontend').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await cli(['down', '--name', LAB]);
    rmSync(home, { recursive: true, force: true });
  });

  it("shows the frontend's start-up lines from its workload row, with the pod on each line", async () => {
    const [pod] = await podNames('frontend');
    await openLogsOf('frontend');
    const lines = await waitFor(
      'the panel to show the frontend start-up line',
      shownLines,
      (l) => l.some((line) => line.includes('starting server on :8080')),
      60_000,
    );
    expect(lines.find((line) => line.includes('starting server on :8080'))).toMatch(
      new RegExp(`^${pod}: \\{.*"message":"starting server on :8080"`),
    );
    await screenshot(page, 'logs-frontend');
  });

  it('follows a pod that starts while the panel is open', async () => {
    const before = await podNames('frontend');
    await kubectl(['scale', 'deployment/frontend', '--replicas=2']);
    const pods = await waitFor(
      'a second frontend pod',
      () => podNames('frontend'),
      (p) => p.length === 2,
      60_000,
    );
    const added = pods.find((p) => !before.includes(p)) ?? '';
    await waitFor(
      `the panel to show ${added}'s start-up line`,
      shownLines,
      (l) => l.some((line) => line.startsWith(`${added}: `) && line.includes('starting server on :8080')),
      60_000,
    );
    await waitFor(
      'the panel to count 2 pods',
      () => page.getByTestId('deployment-logs').locator('h3').innerText(),
      (t) => t.includes('(2 pods)'),
      20_000,
    );
  });

  it("shows a crash loop's last words under Previous, opened from a pod's details", async () => {
    const [pod] = await podNames('paymentservice');
    await page.getByTestId(`pod-chip-${pod}`).first().click();
    const details = page.getByTestId('pod-details');
    await details.locator('select').selectOption('crashloop');
    await details.getByRole('button', { name: 'Break', exact: true }).click();
    await details.getByRole('status').filter({ hasText: 'Broke paymentservice' }).waitFor();
    await details.getByTestId('pod-workload-logs').click();
    const panel = page.locator('[data-testid="deployment-logs"][data-deployment="paymentservice"]');
    await panel.waitFor();
    await panel.getByTestId('logs-previous').click();
    const lines = await waitFor(
      'the previous container of paymentservice to show its crash',
      async () => {
        await panel.getByRole('button', { name: 'Read again' }).click();
        await panel.getByRole('button', { name: 'Read again' }).waitFor();
        return shownLines();
      },
      (l) => l.some((line) => line.includes('TypeError')),
      90_000,
      { intervalMs: 3_000 },
    );
    expect(lines.some((line) => line.startsWith(`${pod}: `) && line.includes('TypeError'))).toBe(true);
    await screenshot(page, 'logs-paymentservice-previous');
  });

  it('says so when the Deployment has no pods', async () => {
    await kubectl(['scale', 'deployment/adservice', '--replicas=0']);
    await waitFor(
      'adservice to have no pods',
      () => podNames('adservice'),
      (p) => p.length === 0,
      60_000,
    );
    await openLogsOf('adservice');
    expect(await page.getByTestId('logs-empty').innerText()).toContain('adservice has no pods');
  });

  it('threw no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
