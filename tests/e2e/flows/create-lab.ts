// First start: the page from the printed URL offers to create a lab; the backend is picked with
// its reason, the topology is previewed, and the create task is watched to its end.
import { execa } from 'execa';
import { expect, it } from 'vitest';
import type { LabSnapshot } from '../../../core/lab/lab-snapshot.ts';
import { cli } from '../../integration/helpers/lab-env.ts';
import { waitFor } from '../../helpers/wait.ts';
import { screenshot, taskViewTitled, waitForTaskDone } from '../helpers/browser.ts';
import { topologyPools } from '../helpers/lab-check.ts';
import type { E2eSession } from '../helpers/session.ts';

/** Whether a Docker engine answers here (then `auto` picks kind, and the test asks for sim). */
const dockerAnswers = async (): Promise<boolean> =>
  (await execa('docker', ['version', '--format', '{{.Server.Version}}'], { reject: false, timeout: 15_000 }))
    .exitCode === 0;

export const createLabTests = (s: E2eSession): void => {
  it('opens from the printed URL and, with no lab yet, offers to create one', async () => {
    const { page } = s;
    const response = await page.goto(s.app.url);
    expect(response?.status()).toBe(200);
    // First start: the form is there without looking for it.
    await page.getByTestId('create-lab-form').waitFor({ timeout: 30_000 });
    const docker = await dockerAnswers();
    const expected = docker ? /Docker engine answers/ : /no Docker engine answers.*simulated cluster/s;
    expect(await page.getByTestId('create-lab-backend').inputValue()).toBe('auto');
    await waitFor(
      `backend-reason to read ${expected}`,
      () => page.getByTestId('backend-reason').innerText(),
      (text) => expected.test(text),
      30_000,
    );

    const preview = page.getByTestId('topology-preview');
    const pools = topologyPools();
    for (const pool of pools) {
      const row = preview.getByTestId(`topology-pool-${pool.name}`);
      await row.waitFor();
      expect([pool.name, await row.getAttribute('data-nodes')]).toEqual([pool.name, String(pool.nodes)]);
      expect(await row.innerText()).toContain(`${pool.taint.key}=${pool.taint.value}:${pool.taint.effect}`);
    }
    expect(await preview.locator('[data-testid^="topology-pool-"]').count()).toBe(pools.length);
    await screenshot(page, 'labs-create');
  });

  it('creates a sim lab with monitoring from the page and shows its task to the end', async () => {
    const { page } = s;
    await page.getByTestId('create-lab-name').fill(s.lab);
    if (await dockerAnswers()) await page.getByTestId('create-lab-backend').selectOption('sim');
    await page.getByTestId('create-lab-monitoring').check();
    await page.getByTestId('create-lab-submit').click();

    const title = new RegExp(`Create lab ${s.lab}\\b`);
    const task = taskViewTitled(page, title);
    await task.waitFor({ timeout: 20_000 });
    expect(await task.getAttribute('data-state')).toBe('running');
    await screenshot(page, 'labs-task-running');
    await waitForTaskDone(page, title, 300_000);
    // The steps stay on screen, each one done.
    const steps = task.getByTestId('task-step');
    expect(await steps.count()).toBeGreaterThanOrEqual(3);
    expect((await steps.allInnerTexts()).every((t) => t.trim().length > 0)).toBe(true);
    await screenshot(page, 'labs-task-done');

    // The CLI sees the same lab: sim, with monitoring, ready.
    const status = await cli(['status', '--name', s.lab, '-o', 'json']);
    expect(status.exitCode, status.stderr).toBe(0);
    const snapshot = JSON.parse(status.stdout) as LabSnapshot;
    expect([snapshot.backend, snapshot.ready]).toEqual(['sim', true]);
    expect(snapshot.monitoring).toBeTruthy();
    s.kubeconfig = snapshot.kubeconfig;
  });
};
