// The failover scenario played in the page as a learner would: start it from the catalog, take a
// hint, look at the pods from the terminal (typed, and with a step's run-in-terminal button),
// heal the nodes from the map, then read the debrief and export it as Markdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, REPO } from '../../integration/helpers/lab-env.ts';
import { waitFor } from '../../helpers/wait.ts';
import { attr, screenshot } from '../helpers/browser.ts';
import type { E2eSession } from '../helpers/session.ts';
import { terminalText, typeCommand } from '../helpers/terminal.ts';
import { openMap, openNode } from './cluster-map.ts';
import type { CustomerImpact } from '../../../core/contract/impact-types.ts';

interface ScenarioDoc {
  title: string;
  level: string;
  minutes: number;
  steps: { id: string; title: string; hints: string[]; checks: unknown[] }[];
  scoring: { hint: number };
}

const failover = parse(readFileSync(join(REPO, 'scenarios/failover.yaml'), 'utf8')) as ScenarioDoc;

/** Markdown as it reads on screen: no backticks, emphasis or extra spaces. */
const plain = (text: string): string => text.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();

const stepTitle = (page: Page): Promise<string> => page.getByTestId('step-title').innerText();

/** Waits for the player to show one of `titles`, running `meanwhile` every 20 s meanwhile. */
const waitForStep = async (page: Page, titles: string[], meanwhile?: () => Promise<void>): Promise<void> => {
  let nextTry = 0;
  await waitFor(
    `the player at step "${titles.join('" or "')}"`,
    async () => {
      if (meanwhile && Date.now() > nextTry) {
        nextTry = Date.now() + 20_000;
        await meanwhile();
      }
      return stepTitle(page);
    },
    (shown) => titles.some((title) => shown.includes(title)),
    240_000,
    { intervalMs: 1_000 },
  );
};

interface RunJson {
  title: string;
  state: string;
  score: number;
  maxScore: number;
  steps: { id: string; state: string; hintsRevealed: number; solutionRevealed: boolean }[];
  customerImpact?: CustomerImpact;
}

export const failoverScenarioTests = (s: E2eSession): void => {
  it('plays the failover scenario with a hint to the debrief, and exports the report', async () => {
    const { page } = s;
    const [observe, noRoom, restore] = failover.steps;
    await page.getByTestId('nav-scenarios').click();
    const card = page.getByTestId('scenario-card-failover');
    await card.waitFor();
    const cardText = await card.innerText();
    for (const expected of [failover.title, failover.level, String(failover.minutes)])
      expect(cardText).toContain(expected);
    await screenshot(page, 'scenarios');
    await page.getByTestId('scenario-start-failover').click();

    // Step 1: backend-1 dies. One hint, then the learner looks from the terminal until it passes.
    await page.getByTestId('scenario-player').waitFor();
    await waitForStep(page, [observe!.title]);
    expect(await attr(page.getByTestId('scenario-player'), 'data-state')).toBe('running');
    await waitFor(
      'the time left',
      () => page.getByTestId('time-left').innerText(),
      (t) => /\d/.test(t),
      10_000,
    );
    // The step's checks are listed, each with its state (none holds yet: nobody looked).
    const checks = page.getByTestId('check-row');
    await waitFor(
      'a row per check',
      () => checks.count(),
      (n) => n === observe!.checks.length,
      20_000,
    );
    expect(await checks.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ok')))).toContain('false');
    await page.getByTestId('hint-button').click();
    const hints = page.getByTestId('hint-text');
    await hints.first().waitFor();
    expect(plain(await hints.first().innerText())).toContain(plain(observe!.hints[0]!));
    expect(await hints.count()).toBe(1);
    await screenshot(page, 'scenario-step-1');
    await typeCommand(page, 'kubectl get nodes -l pool=backend');
    // The step's own command, run with its button (again every 20 s, as a learner re-checks).
    const getPods = page
      .getByTestId('step-text')
      .getByRole('button', { name: 'Run in the lab terminal: kubectl get pods -o wide', exact: true });
    await waitForStep(page, [noRoom!.title, restore!.title], () => getPods.click({ timeout: 5_000 }));
    expect(await terminalText(page)).toMatch(/kubectl get pods -o wide\s*\n\s*NAME\s+READY\s+STATUS/);

    // Step 2: backend-2 dies too; it passes by itself once the backend pods are Pending. The
    // learner lists them while it lasts.
    if ((await stepTitle(page)).includes(noRoom!.title)) {
      await screenshot(page, 'scenario-step-2');
      await typeCommand(page, 'kubectl get pods --field-selector=status.phase=Pending');
    }
    await waitForStep(page, [restore!.title]);

    // Step 3: bring the capacity back, from the map (the page's `kartstream node heal`).
    for (const node of ['backend-1', 'backend-2']) {
      await openMap(page);
      await openNode(page, node);
      await page.getByTestId('node-heal').click();
      const ready = () => attr(page.getByTestId(`node-card-${node}`), 'data-ready');
      await waitFor(`node-card-${node} ready`, ready, (r) => r === 'true', 30_000);
    }
    await page.getByTestId('nav-scenarios').click();
    const debrief = page.getByTestId('debrief');
    await debrief.waitFor({ timeout: 240_000 });
    await screenshot(page, 'scenario-debrief');

    // The run as the CLI reads it: passed, one hint in step 1, and the score shows its cost.
    const report = await cli(['scenario', 'report', '--format', 'json']);
    expect(report.exitCode, report.stderr).toBe(0);
    const runJson = JSON.parse(report.stdout) as RunJson;
    expect(runJson.state).toBe('passed');
    expect(runJson.steps.map((x) => [x.id, x.state, x.hintsRevealed])).toEqual([
      [observe!.id, 'passed', 1],
      [noRoom!.id, 'passed', 0],
      [restore!.id, 'passed', 0],
    ]);
    expect(runJson.score).toBeLessThanOrEqual(runJson.maxScore + failover.scoring.hint);
    const scoreText = await page.getByTestId('debrief-score').innerText();
    expect(scoreText.match(/\d+/g)?.map(Number)).toEqual([runJson.score, runJson.maxScore]);
    expect(runJson.score).toBeLessThan(runJson.maxScore);
    const timeline = await page.getByTestId('debrief-timeline').innerText();
    expect(timeline).toMatch(/hint/i);
    expect(timeline).toContain(observe!.id);
    // what shoppers felt, as recorded in the run: figures from the lab's Prometheus, not "no data"
    const impact = runJson.customerImpact;
    if (!impact?.available)
      throw new Error(`the run has no customer impact figures: ${JSON.stringify(impact)}`);
    expect(await page.getByTestId('debrief-failed-checkouts').innerText()).toBe(
      `${impact.failedCheckouts} of ${impact.checkouts}`,
    );
    expect(await page.getByTestId('debrief-minutes-above').innerText()).toBe(
      impact.minutesJudged > 0
        ? `${impact.minutesAboveObjective} of ${impact.minutesJudged} min`
        : 'too few checkouts to judge',
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-report').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const markdown = readFileSync(await download.path(), 'utf8');
    expect(markdown).toContain(failover.title);
    expect(markdown).toContain(`Score: **${runJson.score}** of ${runJson.maxScore}`);
    expect(markdown).toContain(`| failed checkouts | ${impact.failedCheckouts} of ${impact.checkouts}`);
  });
};
