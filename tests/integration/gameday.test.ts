// A game day on a real sim lab, through the real CLI: `gameday run double-trouble` at a high game
// speed; the first inject lands on schedule and is hidden from the responders' view; the team's
// repair (kubectl, an independent client) sets off the second inject; `gameday end` rolls both
// back; `gameday report -o json` has the postmortem's sections and both scores apart.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLabTimeline, readLabTimeline } from '../../core/lab/lab-timeline.ts';
import { readRunClaim } from '../../core/scenarios/run-claim.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

const NAME = 'gameday-lab';

const kubectl = async (kubeconfig: string, args: string[]) =>
  String((await execa('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 })).stdout);

const replicas = async (kubeconfig: string, deployment: string) =>
  Number(
    await kubectl(kubeconfig, ['-n', 'shop', 'get', 'deploy', deployment, '-o', 'jsonpath={.spec.replicas}']),
  );

const status = async (responder: boolean) => {
  const r = await cli([
    'gameday',
    'status',
    '--name',
    NAME,
    '-o',
    'json',
    ...(responder ? ['--responder'] : []),
  ]);
  return r.exitCode === 0
    ? (JSON.parse(r.stdout) as Record<string, unknown> & { injects?: { id: string; landedAt?: string }[] })
    : undefined;
};

describe('a game day on a sim lab', () => {
  const temp = useTempHome();
  let kubeconfig = '';
  beforeAll(async () => {
    expect((await cli(['up', '--name', NAME, '--no-monitoring'])).exitCode).toBe(0);
    kubeconfig = (await cli(['kubeconfig', '--name', NAME])).stdout.trim();
  });
  afterAll(async () => {
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('lands injects hidden from responders, ends with a rollback, and drafts the postmortem with two scores', async () => {
    // 1m of game time in 2 s of wall time: the first inject lands about 2 s after the start.
    const run = execa(
      process.execPath,
      [
        join(REPO, 'bin/kartstream.js'),
        'gameday',
        'run',
        'double-trouble',
        '--name',
        NAME,
        '--speed',
        '30',
        '-o',
        'json',
      ],
      {
        cwd: REPO,
        reject: false,
        env: process.env,
      },
    );
    const landed = await waitFor(
      'the first inject to land',
      () => status(false),
      (s) => s?.injects?.find((i) => i.id === 'cart-gone')?.landedAt !== undefined,
      120_000,
    );
    expect(landed?.upcoming).toEqual([expect.objectContaining({ id: 'cart-store-gone', armed: true })]);
    expect(await replicas(kubeconfig, 'cartservice')).toBe(0);

    // A scenario cannot start on the lab meanwhile: the game day holds it.
    const scenario = await cli(['scenario', 'run', 'failover', '--name', NAME]);
    expect(scenario.exitCode).toBe(1);
    expect(scenario.stderr).toMatch(
      /a game day \("Carts, and then the cart store"\) is already running on lab gameday-lab/,
    );

    // `scenario status` finds no scenario, and says the lab runs a game day and where to see it.
    const scenarioStatus = await cli(['scenario', 'status', '--name', NAME]);
    expect(scenarioStatus.exitCode).toBe(1);
    expect(scenarioStatus.stderr).toMatch(/no scenario is running on lab gameday-lab/);
    expect(scenarioStatus.stderr).toMatch(
      /a game day is running on lab gameday-lab: "Carts, and then the cart store"/,
    );
    expect(scenarioStatus.stderr).toMatch(/npx kartstream gameday status --name gameday-lab/);

    // Responders see the briefing and the clock, not the injects; the timeline keeps the inject hidden.
    const responder = await status(true);
    expect(responder?.briefing).toMatch(/carts are broken/);
    expect(responder).not.toHaveProperty('injects');
    expect(responder).not.toHaveProperty('upcoming');
    const inject = (await readLabTimeline(NAME)).entries.find((e) => e.kind === 'inject');
    expect(inject).toMatchObject({ hidden: true, actor: 'system' });

    // The team detects, then repairs the first fault: the second lands as cartservice serves again.
    await appendLabTimeline(NAME, {
      kind: 'milestone',
      actor: 'alice',
      text: 'detected',
      data: { name: 'detected' },
    });
    await kubectl(kubeconfig, ['-n', 'shop', 'scale', 'deploy/cartservice', '--replicas=1']);
    await waitFor(
      'the second inject to scale redis-cart to zero',
      () => replicas(kubeconfig, 'redis-cart'),
      (n) => n === 0,
      120_000,
    );
    await appendLabTimeline(NAME, {
      kind: 'milestone',
      actor: 'alice',
      text: 'mitigated',
      data: { name: 'mitigated' },
    });
    expect((await cli(['gameday', 'hint', '--name', NAME])).exitCode).toBe(0);
    await waitFor(
      'the hint in the timeline',
      async () => (await readLabTimeline(NAME)).entries.some((e) => e.kind === 'hint'),
      Boolean,
      30_000,
    );

    expect((await cli(['gameday', 'end', '--name', NAME])).exitCode).toBe(0);
    const ended = await run;
    expect(ended.exitCode).toBe(0);
    const final = JSON.parse(String(ended.stdout)) as {
      state: string;
      rolledBack: boolean;
      objectives: { ok: boolean };
    };
    expect(final).toMatchObject({ state: 'ended', rolledBack: true, objectives: { ok: false } });
    // The rollback (restoreShop) brought both back; the lab is free again.
    expect(await replicas(kubeconfig, 'redis-cart')).toBe(1);
    expect(await replicas(kubeconfig, 'cartservice')).toBe(1);
    expect(await readRunClaim(NAME)).toBeUndefined();
    const after = await status(true);
    expect(after?.injects?.map((i) => i.id)).toEqual(['cart-gone', 'cart-store-gone']);

    const report = await cli(['gameday', 'report', '--name', NAME, '-o', 'json']);
    expect(report.exitCode).toBe(0);
    const pm = JSON.parse(report.stdout) as {
      sections: Record<string, unknown>;
      scores: { system: Record<string, unknown>; responders: Record<string, unknown> };
    };
    expect(Object.keys(pm.sections)).toEqual(
      expect.arrayContaining([
        'summary',
        'impact',
        'trigger',
        'detection',
        'resolution',
        'timeline',
        'responders',
        'wentWell',
        'wentWrong',
        'gotLucky',
        'actionItems',
      ]),
    );
    expect(pm.scores.system).toMatchObject({
      steadyStateBefore: true,
      steadyStateHeld: true,
      rolledBack: true,
    });
    expect(pm.scores.responders).toMatchObject({
      objectivesMet: false,
      hintsRevealed: 1,
      timeToResolveSeconds: null,
    });
    expect(pm.scores.responders.timeToDetectSeconds).toEqual(expect.any(Number));
    expect(pm.scores.responders.timeToMitigateSeconds).toEqual(expect.any(Number));
  });
});
