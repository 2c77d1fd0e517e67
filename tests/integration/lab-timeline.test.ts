// The lab timeline, end to end on one sim lab: the real `kartstream serve --share` (on
// 127.0.0.2) records while it shares; a scribe invited with the real CLI records a milestone and
// a note over HTTPS, the local user one milestone over loopback, the cluster's scheduler a
// Warning event; the real `kartstream timeline -o json` prints them all with the right actors.
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../core/contract/timeline-types.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, useTempHome } from './helpers/lab-env.ts';
import { startShareServe, type SharedServe } from './helpers/share-serve.ts';

const LAB = 'timeline';
const ADDRESS = '127.0.0.2';

// The share listener's certificate is self-signed: this test is about the timeline, not the pin.
const sharePost = (url: string, body: unknown): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });

describe('the lab timeline', () => {
  const temp = useTempHome();
  const uiDir = join(temp.home, 'ui');
  const env = { KARTSTREAM_HOME: temp.home, KARTSTREAM_RENDERER_DIR: uiDir };
  let serve: SharedServe | undefined;
  let loopbackUrl = '';
  let kubeconfig = '';

  beforeAll(async () => {
    const up = await cli(['up', '--backend', 'sim', '--no-monitoring', '--name', LAB], env);
    expect(up.exitCode, up.stderr).toBe(0);
    kubeconfig = join(temp.home, 'labs', LAB, 'kubeconfig');
    serve = await startShareServe({ lab: LAB, address: ADDRESS, env });
    loopbackUrl = serve.loopbackUrl;
  }, 600_000);

  afterAll(async () => {
    await serve?.stop();
    await cli(['down', '--name', LAB], env);
    temp.cleanup();
  }, 120_000);

  const timeline = async (): Promise<TimelineEntry[]> => {
    const result = await cli(['timeline', '--name', LAB, '-o', 'json'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as TimelineEntry[];
  };

  it('records a Warning event, milestones and a note with the person who made them', async () => {
    const invite = await cli(
      ['invite', '--name', LAB, '--role', 'scribe', '--person', 'Sam', '-o', 'json'],
      env,
    );
    expect(invite.exitCode, invite.stderr).toBe(0);
    const scribeUrl = (JSON.parse(invite.stdout) as { url: string }).url;

    // A pod no node can take: the scheduler says so with a Warning event.
    const pod = await execa(
      'kubectl',
      [
        '--kubeconfig',
        kubeconfig,
        'run',
        'nowhere',
        '--image=busybox',
        '--restart=Never',
        '--overrides={"spec":{"nodeSelector":{"pool":"nowhere"}}}',
      ],
      { reject: false },
    );
    expect(pod.exitCode, pod.stderr).toBe(0);
    expect(await sharePost(`${scribeUrl}trpc/incident.milestone`, { lab: LAB, name: 'detected' })).toBe(200);
    expect(
      await sharePost(`${scribeUrl}trpc/incident.note`, { lab: LAB, text: 'cart errors in the shop' }),
    ).toBe(200);
    const local = await fetch(`${loopbackUrl}trpc/incident.milestone`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lab: LAB, name: 'acknowledged' }),
    });
    expect(local.status).toBe(200);

    const entries = await waitFor(
      'the Warning event in `kartstream timeline -o json`',
      timeline,
      (list) => list.some((e) => e.kind === 'warning' && e.text.includes('nowhere')),
      60_000,
      { intervalMs: 1_000 },
    );
    const row = (e: TimelineEntry) => `${e.kind} ${e.actor} ${e.text}`;
    expect(entries.map(row)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^share local sharing started on https:\/\/127\.0\.0\.2:\d+$/),
        'milestone Sam milestone: detected',
        'note Sam cart errors in the shop',
        'milestone local milestone: acknowledged',
        expect.stringMatching(/^warning system FailedScheduling Pod\/nowhere: /),
      ]),
    );
    for (const e of entries)
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['at', 'kind', 'actor', 'text']));
  }, 120_000);

  it("attributes an operator's scale of cartservice to the operator, from the API server's audit log", async () => {
    const invite = await cli(
      ['invite', '--name', LAB, '--role', 'operator', '--person', 'Oona Operator', '-o', 'json'],
      env,
    );
    expect(invite.exitCode, invite.stderr).toBe(0);
    const operatorUrl = (JSON.parse(invite.stdout) as { url: string }).url;
    expect(
      await sharePost(`${operatorUrl}trpc/actions.scaleDeployment`, {
        lab: LAB,
        name: 'cartservice',
        replicas: 2,
      }),
    ).toBe(200);
    const entries = await waitFor(
      "the operator's scale in `kartstream timeline -o json`",
      timeline,
      (list) => list.some((e) => e.kind === 'change' && e.text.includes('cartservice')),
      60_000,
      { intervalMs: 1_000 },
    );
    const change = entries.find((e) => e.kind === 'change' && e.text.includes('cartservice'));
    expect(change?.actor).toBe('Oona Operator');
    expect(change?.text).toMatch(/scaled deployment cartservice/);
  }, 120_000);
});
