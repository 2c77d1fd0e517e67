// A game day with three people in Chromium, on one sim lab shared on 127.0.0.2: the facilitator
// (the local user, loopback UI), an operator and an observer invited with the real CLI who open
// their links over HTTPS. The observer is offered no action and is refused by the server; the
// operator's scale of cartservice reaches the timeline with their name from the audit log; the
// facilitator's milestone reaches the observer live.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../core/contract/timeline-types.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli } from '../integration/helpers/lab-env.ts';
import { attr, launchChromium, screenshot, screenshotOnFailure, shownErrors } from './helpers/browser.ts';
import { startServe, type ServedApp } from './helpers/serve.ts';

const LAB = 'team-e2e';

/** The labels of the enabled buttons among `buttons`. */
const enabledButtons = async (buttons: Locator): Promise<string[]> =>
  buttons.evaluateAll((els) =>
    els
      .filter((el) => !el.hasAttribute('disabled'))
      .map((el) => el.getAttribute('data-testid') ?? el.textContent ?? ''),
  );

/** The `data-actor` of the timeline rows whose text matches `text`. */
const actorsOf = (page: Page, text: RegExp): Promise<string[]> =>
  page
    .getByTestId('timeline-entry')
    .filter({ hasText: text })
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-actor') ?? ''));

describe('a game day with a facilitator, an operator and an observer', () => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-e2e-team-'));
  const env = { KARTSTREAM_HOME: home };
  let app: ServedApp;
  let browser: Browser;
  let facilitator: Page;
  let operator: Page;
  let observer: Page | undefined;
  screenshotOnFailure(() => observer);

  /** A page for an invited person, over HTTPS with the lab's self-signed certificate accepted. */
  const invitedPage = async (role: string, person: string): Promise<{ page: Page; url: string }> => {
    const invite = await cli(
      ['invite', '--name', LAB, '--role', role, '--person', person, '-o', 'json'],
      env,
    );
    expect(invite.exitCode, invite.stderr).toBe(0);
    const { url } = JSON.parse(invite.stdout) as { url: string };
    expect(url).toMatch(/^https:\/\/127\.0\.0\.2:\d+\/t\//);
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    return { page, url };
  };

  const openMap = async (page: Page, base: string): Promise<void> => {
    await page.goto(`${base}#/map?lab=${LAB}`);
    await page.getByTestId('workload-row-cartservice').waitFor({ timeout: 60_000 });
  };

  beforeAll(async () => {
    const up = await cli(['up', '--backend', 'sim', '--no-monitoring', '--name', LAB], env);
    expect(up.exitCode, up.stderr).toBe(0);
    app = await startServe({ home, args: ['--name', LAB, '--share', '--address', '127.0.0.2'] });
    browser = await launchChromium();
    facilitator = await browser.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await cli(['down', '--name', LAB], env);
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('offers the observer no enabled action, and the server refuses their mutation', async () => {
    const invited = await invitedPage('observer', 'Obi');
    observer = invited.page;
    await openMap(observer, invited.url);
    const mapActions = observer.locator(
      '[data-testid^="workload-scale-"], [data-testid^="pool-scale-submit-"], [data-testid="node-heal"], ' +
        '[data-testid="node-fail"], .map-view button:text-matches("heal", "i")',
    );
    // Disabled because of the role (not only while the page asks what it may do), and saying so.
    await observer
      .locator('[data-testid="workload-scale-cartservice"][title*="observer"]')
      .waitFor({ timeout: 30_000 });
    expect(await enabledButtons(mapActions)).toEqual([]);

    await observer.goto(`${invited.url}#/scenarios?lab=${LAB}`);
    await observer
      .locator('[data-testid="scenario-start-failover"][title*="observer"]')
      .waitFor({ timeout: 30_000 });
    expect(await enabledButtons(observer.locator('[data-testid^="scenario-start-"]'))).toEqual([]);

    await observer.goto(`${invited.url}#/gameday?lab=${LAB}`);
    await observer.getByTestId('gameday-view').waitFor();
    expect(await enabledButtons(observer.getByTestId('gameday-view').locator('button'))).toEqual([]);

    await observer.goto(`${invited.url}#/timeline?lab=${LAB}`);
    await observer.getByTestId('incident-bar').waitFor({ timeout: 30_000 });
    expect(await enabledButtons(observer.getByTestId('incident-bar').locator('button'))).toEqual([]);

    const status = await observer.evaluate(
      (lab) =>
        fetch('trpc/actions.scaleDeployment', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ lab, name: 'cartservice', replicas: 0 }),
        }).then((r) => r.status),
      LAB,
    );
    expect(status).toBe(403);
    await screenshot(observer, 'team-observer');
  }, 120_000);

  it("shows the operator's scale of cartservice in the timeline with the operator's name", async () => {
    const invited = await invitedPage('operator', 'Oona');
    operator = invited.page;
    await openMap(operator, invited.url);
    await operator.getByTestId('workload-replicas-cartservice').fill('2');
    await operator.getByTestId('workload-scale-cartservice').click();
    await waitFor(
      'cartservice to want 2 replicas on the operator page',
      () => attr(operator.getByTestId('workload-row-cartservice'), 'data-desired'),
      (d) => d === '2',
      30_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; shown errors: ${await shownErrors(operator)}`);
    });

    await facilitator.goto(`${app.url}#/timeline?lab=${LAB}`);
    await waitFor(
      "the operator's change in the facilitator's timeline",
      () => actorsOf(facilitator, /cartservice/),
      (actors) => actors.includes('Oona'),
      60_000,
      { intervalMs: 1_000 },
    );
    const entries = await waitFor(
      "the operator's change in `kartstream timeline -o json`",
      async () => {
        const r = await cli(['timeline', '--name', LAB, '-o', 'json'], env);
        return r.exitCode === 0 ? (JSON.parse(r.stdout) as TimelineEntry[]) : [];
      },
      (list) => list.some((e) => e.kind === 'change' && e.text.includes('cartservice')),
      30_000,
      { intervalMs: 1_000 },
    );
    const change = entries.find((e) => e.kind === 'change' && e.text.includes('cartservice'));
    expect(change?.actor).toBe('Oona');
    await screenshot(facilitator, 'team-facilitator');
  }, 120_000);

  it("shows the facilitator's milestone to the observer live", async () => {
    const page = observer as Page;
    await facilitator.getByTestId('milestone-detected').click();
    await waitFor(
      'the milestone on the observer page',
      () => actorsOf(page, /milestone: detected/),
      (actors) => actors.includes('local'),
      15_000,
    );
    expect(await page.getByTestId('milestone-detected').isDisabled()).toBe(true);
  }, 60_000);
});
