// Promote from the page against moto_server (in serve's environment): the identity, the plan and
// its cost before anything happens, apply as a task, the status, and destroy behind the typed
// confirmation. The CLI's plan and boto3 are the independent checks.
import { expect, it } from 'vitest';
import { checkPromoted, promoteCli } from '../../integration/promote/promote-helpers.ts';
import { waitFor } from '../../helpers/wait.ts';
import { screenshot, waitForTaskDone } from '../helpers/browser.ts';
import type { E2eSession } from '../helpers/session.ts';

interface PlanJson {
  identity: { account: string };
  items: { resource: string; name: string; action: string }[];
  cost: { perHour: number };
}

const MOTO_ACCOUNT = '123456789012';

export const promoteTests = (s: E2eSession): void => {
  it('plans, applies and destroys a promotion from the page, against moto_server', async () => {
    const { page } = s;
    const view = page.getByTestId('promote-view');
    await page.getByTestId('nav-promote').click();
    await view.waitFor();
    const identity = await waitFor(
      'the AWS identity',
      () => view.getByTestId('promote-identity').innerText(),
      (t) => t.includes(MOTO_ACCOUNT),
      30_000,
    );
    expect(identity).toContain('eu-west-1');

    const cliPlan = await promoteCli(s.moto.env, ['plan', '--name', s.lab, '-o', 'json']);
    expect(cliPlan.exitCode, cliPlan.stderr).toBe(0);
    const plan = JSON.parse(cliPlan.stdout) as PlanJson;
    await view.getByTestId('promote-plan').click();
    const planView = view.getByTestId('promote-plan-view');
    await planView.waitFor({ timeout: 60_000 });
    expect(await planView.getByTestId('plan-item').count()).toBe(plan.items.length);
    const planText = await planView.innerText();
    for (const item of plan.items) expect(planText).toContain(item.name);
    const cost = await view.getByTestId('promote-cost').innerText();
    const amounts = (cost.match(/\d+\.\d+/g) ?? []).map(Number);
    expect(
      amounts.some((a) => Math.abs(a - plan.cost.perHour) < 0.01),
      cost,
    ).toBe(true);
    // A plan creates nothing.
    expect((await checkPromoted(s.moto.env, s.lab)).taggedCount).toBe(0);
    await screenshot(page, 'promote-plan');

    await view.getByTestId('promote-apply').click();
    await waitForTaskDone(page, new RegExp(`Promote lab ${s.lab}\\b`), 300_000);
    const promoted = await checkPromoted(s.moto.env, s.lab);
    expect(promoted.cluster).toMatchObject({ name: s.lab, status: 'ACTIVE' });
    expect(promoted.nodegroups.map((n) => n.name).sort()).toEqual([
      'backend',
      'database',
      'frontend',
      'monitoring',
    ]);
    const status = await waitFor(
      'promote-status with the cluster',
      () => view.getByTestId('promote-status').innerText(),
      (t) => t.includes('ACTIVE'),
      30_000,
    );
    expect(status).toContain(s.lab);
    await screenshot(page, 'promote-applied');

    await view.getByTestId('promote-destroy-confirm').fill(s.lab);
    await view.getByTestId('promote-destroy').click();
    await waitForTaskDone(page, new RegExp(`Destroy promoted lab ${s.lab}\\b`), 300_000);
    const after = await checkPromoted(s.moto.env, s.lab);
    expect([after.taggedCount, after.cluster]).toEqual([0, null]);
    await screenshot(page, 'promote-destroyed');
  });
};
