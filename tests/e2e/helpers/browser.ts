// Debian's Chromium driven by playwright-core (no browser download, ever), screenshots under
// test-results/e2e/, and waits on what the page shows (data-testid attributes from docs/app.md).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { beforeEach } from 'vitest';
import { waitFor } from '../../helpers/wait.ts';
import { REPO } from '../../integration/helpers/lab-env.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS_DIR = join(REPO, 'test-results', 'e2e');

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

/** A full-page screenshot at test-results/e2e/<name>.png. */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`), fullPage: true });
};

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** Saves test-results/e2e/failed-<test name>.png whenever a test of this file fails. */
export const screenshotOnFailure = (page: () => Page | undefined): void => {
  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(async () => {
      const current = page();
      if (current && !current.isClosed())
        await screenshot(current, `failed-${slug(task.name)}`).catch(() => undefined);
    });
  });
};

/** The attribute of a locator (first match), or null when there is none (yet). */
export const attr = async (locator: Locator, name: string): Promise<string | null> =>
  (await locator.count()) > 0 ? locator.first().getAttribute(name) : null;

/** Text of whatever `error-message` the page shows, for failure messages. */
export const shownErrors = async (page: Page): Promise<string> =>
  (await page.getByTestId('error-message').allInnerTexts()).join('\n');

/**
 * The `task-view` whose heading (the task's title) matches `title`. Matched on the heading alone:
 * the view's whole text runs the title into its state badge ("…e2e-labrunning"), and whether its
 * log starts with the title line depends on when the page's watch began.
 */
export const taskViewTitled = (page: Page, title: RegExp): Locator =>
  page
    .getByTestId('task-view')
    .filter({ has: page.getByRole('heading', { name: title }) })
    .last();

/**
 * Waits until the `task-view` showing a task whose title matches `title` reaches data-state=done.
 * A failed or canceled task stops the wait at once, with its log and the page's error messages.
 */
export const waitForTaskDone = async (page: Page, title: RegExp, timeoutMs: number): Promise<void> => {
  const taskView = taskViewTitled(page, title);
  await taskView.waitFor({ timeout: 20_000 });
  const state = await waitFor(
    'the task to end (task-view data-state)',
    () => attr(taskView, 'data-state'),
    (s) => s === 'done' || s === 'failed' || s === 'canceled',
    timeoutMs,
    { intervalMs: 1_000 },
  );
  if (state !== 'done') {
    const log = await taskView.getByTestId('task-log').allInnerTexts();
    throw new Error(
      `the task ended ${state}:\n${await shownErrors(page)}\nlog:\n${log.join('\n').slice(-3000)}`,
    );
  }
};
