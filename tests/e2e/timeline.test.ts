// The Timeline view in Chromium, on one sim lab shared on 127.0.0.2: the local user records a
// milestone with the incident bar and sees it in the live timeline with their actor; an observer
// invited with the real CLI opens the same view over HTTPS, sees the entry arrive, and finds every
// milestone button disabled (observers may not take notes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MILESTONES } from '../../core/contract/incident-types.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli } from '../integration/helpers/lab-env.ts';
import { launchChromium, screenshot, screenshotOnFailure, shownErrors } from './helpers/browser.ts';
import { startServe, type ServedApp } from './helpers/serve.ts';

const LAB = 'tl-e2e';

/** The timeline rows as `actor: text`, oldest first. */
const rows = async (page: Page): Promise<string[]> => {
  // One read of each row: the timeline is live, two reads could see different lists.
  return page
    .getByTestId('timeline-entry')
    .evaluateAll((els) =>
      els.map(
        (el) => `${el.getAttribute('data-actor') ?? ''}: ${el.querySelector('.tl-text')?.textContent ?? ''}`,
      ),
    );
};

describe('the Timeline view', () => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-e2e-timeline-'));
  let app: ServedApp;
  let browser: Browser;
  let local: Page | undefined;
  screenshotOnFailure(() => local);

  beforeAll(async () => {
    const up = await cli(['up', '--backend', 'sim', '--no-monitoring', '--name', LAB], {
      KARTSTREAM_HOME: home,
    });
    expect(up.exitCode, up.stderr).toBe(0);
    app = await startServe({ home, args: ['--name', LAB, '--share', '--address', '127.0.0.2'] });
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await cli(['down', '--name', LAB], { KARTSTREAM_HOME: home });
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('records a milestone clicked by the local user, shown live with its actor', async () => {
    local = await browser.newPage();
    await local.goto(`${app.url}#/timeline?lab=${LAB}`);
    await waitFor(
      'the sharing entry',
      () => rows(local as Page),
      (r) => r.some((row) => /^local: sharing started on https:\/\/127\.0\.0\.2:\d+$/.test(row)),
      30_000,
    );
    await local.getByTestId('milestone-detected').click();
    await waitFor(
      'the milestone in the timeline',
      () => rows(local as Page),
      (r) => r.includes('local: milestone: detected'),
      10_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; shown errors: ${await shownErrors(local as Page)}`);
    });
    expect(await local.getByTestId('milestone-detected').getAttribute('data-reached')).toBe('true');
    await screenshot(local, 'timeline-local');
  });

  it('shows an observer the entries, with every milestone button disabled', async () => {
    const invite = await cli(
      ['invite', '--name', LAB, '--role', 'observer', '--person', 'Olga', '-o', 'json'],
      {
        KARTSTREAM_HOME: home,
      },
    );
    expect(invite.exitCode, invite.stderr).toBe(0);
    const { url } = JSON.parse(invite.stdout) as { url: string };
    const observer = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await observer.goto(`${url}#/timeline?lab=${LAB}`);
    await waitFor(
      "the local user's milestone on the observer's page",
      () => rows(observer),
      (r) => r.includes('local: milestone: detected'),
      30_000,
    );
    for (const name of MILESTONES)
      expect(await observer.getByTestId(`milestone-${name}`).isDisabled()).toBe(true);
    // The local user's next milestone reaches the observer live.
    await (local as Page).getByTestId('milestone-acknowledged').click();
    await waitFor(
      'the second milestone, live',
      () => rows(observer),
      (r) => r.includes('local: milestone: acknowledged'),
      10_000,
    );
    await screenshot(observer, 'timeline-observer');
  });
});
