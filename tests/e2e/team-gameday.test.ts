// A game day with three people in Chromium, on one sim lab shared on 127.0.0.2: the facilitator
// (the local user, loopback UI), an operator and an observer invited with the real CLI who open
// their links over HTTPS. The observer is offered no action and is refused by the server; the
// operator's scale of cartservice and heal of a node reach the timeline with their name from the
// audit log; the facilitator's milestone reaches the observer live; the facilitator runs a game
// day from the console (start, inject now, pause, resume, hint, end) and the team gets the
// postmortem, exported as Markdown and JSON (read-only for the observer).
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../core/contract/timeline-types.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli } from '../integration/helpers/lab-env.ts';
import { attr, launchChromium, screenshot, screenshotOnFailure, shownErrors } from './helpers/browser.ts';
import { startServe, type ServedApp } from './helpers/serve.ts';
import { openNode } from './flows/cluster-map.ts';

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

    await observer.goto(`${invited.url}#/promote?lab=${LAB}`);
    await observer
      .getByTestId('promote-not-allowed')
      .filter({ hasText: 'only the person running it' })
      .waitFor({ timeout: 30_000 });
    expect(await observer.locator('.prm-view button').count()).toBe(0);

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

    // A heal from the map is made with the operator's identity too: the audit log names her.
    await openNode(operator, 'backend-1');
    await operator.getByTestId('node-heal').click();
    await operator.getByText('Asked backend-1 to heal.').waitFor({ timeout: 30_000 });
    await waitFor(
      "the operator's heal of backend-1 in `kartstream timeline -o json`",
      async () => {
        const r = await cli(['timeline', '--name', LAB, '-o', 'json'], env);
        return r.exitCode === 0 ? (JSON.parse(r.stdout) as TimelineEntry[]) : [];
      },
      (list) =>
        list.some((e) => e.kind === 'change' && /node backend-1\b/.test(e.text) && e.actor === 'Oona'),
      30_000,
      { intervalMs: 1_000 },
    );
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

  it('runs a game day from the console: start, inject now, pause, hint, end, postmortem export', async () => {
    const responder = observer as Page;
    const runState = (page: Page) => attr(page.getByTestId('gameday-run'), 'data-state');
    await facilitator.goto(`${app.url}#/gameday?lab=${LAB}`);
    await facilitator.getByTestId('gameday-cart-outage').getByRole('button', { name: 'Start' }).click();
    await waitFor(
      'the game day to run',
      () => runState(facilitator),
      (s) => s === 'running',
      60_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; shown errors: ${await shownErrors(facilitator)}`);
    });
    // The facilitator sees what is coming; a responder sees the briefing but not the inject.
    await facilitator.getByTestId('upcoming-cart-gone').waitFor({ timeout: 15_000 });
    await responder.goto(`${responder.url().split('#')[0]}#/gameday?lab=${LAB}`);
    await waitFor(
      'the game day on the observer page',
      () => runState(responder),
      (s) => s === 'running',
      15_000,
    );
    expect(await responder.getByText('quiet afternoon at the Online Boutique').count()).toBe(1);
    expect(await responder.getByTestId('upcoming-cart-gone').count()).toBe(0);

    await facilitator.getByTestId('upcoming-cart-gone').getByRole('button', { name: 'Inject now' }).click();
    await waitFor(
      'cartservice scaled to 0 by the inject, on the operator map',
      () => attr(operator.getByTestId('workload-row-cartservice'), 'data-desired'),
      (d) => d === '0',
      30_000,
    );
    await waitFor(
      'the landed inject gone from what is coming',
      () => facilitator.getByTestId('upcoming-cart-gone').count(),
      (n) => n === 0,
      15_000,
    );

    await facilitator.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitFor(
      'the game day paused',
      () => runState(responder),
      (s) => s === 'paused',
      15_000,
    );
    await facilitator.getByRole('button', { name: 'Resume', exact: true }).click();
    await waitFor(
      'the game day running again',
      () => runState(facilitator),
      (s) => s === 'running',
      15_000,
    );

    await facilitator.getByTestId('gameday-hint').click();
    await responder.getByRole('list', { name: 'Hints' }).getByText('Which Deployment wants no pods').waitFor({
      timeout: 15_000,
    });

    // The operator repairs; the facilitator ends the game day; everyone gets the postmortem.
    await operator.getByTestId('workload-replicas-cartservice').fill('1');
    await operator.getByTestId('workload-scale-cartservice').click();
    await waitFor(
      'cartservice back to 1 replica',
      () => attr(operator.getByTestId('workload-row-cartservice'), 'data-desired'),
      (d) => d === '1',
      30_000,
    );
    await facilitator.getByRole('button', { name: 'End', exact: true }).click();
    await waitFor(
      'the game day to end',
      () => runState(facilitator),
      (s) => s === 'ended',
      120_000,
    );
    const postmortem = facilitator.getByTestId('postmortem');
    await postmortem.waitFor({ timeout: 30_000 });
    expect(await postmortem.getByTestId('score-responders').innerText()).toMatch(/Hints: 1 of 2/);

    const summary = 'Carts failed for a few minutes after a cleanup script scaled cartservice to zero.';
    await postmortem.getByLabel('Summary').fill(summary);
    await postmortem.getByRole('button', { name: 'Save the draft' }).click();
    const exported = async (page: Page, format: 'md' | 'json'): Promise<string> => {
      await page.getByTestId('postmortem').getByLabel('Export format').selectOption(format);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('postmortem-export').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`postmortem-cart-outage.${format}`);
      return readFile(await download.path(), 'utf8');
    };
    const markdown = await waitFor(
      'the saved summary in the Markdown export',
      () => exported(facilitator, 'md'),
      (text) => text.includes(summary),
      15_000,
    );
    expect(markdown).toMatch(/^#/m);
    expect(markdown).toMatch(/action items/i);
    const json = JSON.parse(await exported(facilitator, 'json')) as {
      gameday: string;
      sections: { summary: string };
      scores: { responders: { hintsRevealed: number } };
    };
    expect(json).toMatchObject({
      gameday: 'cart-outage',
      sections: { summary },
      scores: { responders: { hintsRevealed: 1 } },
    });

    // The observer reads the same draft, cannot edit it, and may export it.
    await waitFor(
      'the game day ended on the observer page',
      () => runState(responder),
      (s) => s === 'ended',
      15_000,
    );
    await responder.reload();
    const theirs = responder.getByTestId('postmortem');
    await theirs.waitFor({ timeout: 30_000 });
    expect(await theirs.getByLabel('Summary').inputValue()).toBe(summary);
    expect(await theirs.getByLabel('Summary').getAttribute('readonly')).not.toBeNull();
    expect(await theirs.getByRole('button', { name: 'Save the draft' }).count()).toBe(0);
    expect(await exported(responder, 'md')).toContain(summary);
    await screenshot(facilitator, 'team-postmortem');
  }, 300_000);
});
