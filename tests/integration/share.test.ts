// Sharing a lab, end to end: the real `kartstream serve --share --address 127.0.0.2` process and
// the real `kartstream invite` CLI; clients that pin the printed certificate fingerprint (and
// refuse any other), one per invite. No sim lab: the role checks run before any lab is touched.
import { statSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor, wakeup } from '../helpers/wait.ts';
import { PinnedAgent } from './helpers/pinned-agent.ts';
import { cli, useTempHome } from './helpers/lab-env.ts';
import { startShareServe, type SharedServe } from './helpers/share-serve.ts';

const LAB = 'gameday';
const ADDRESS = '127.0.0.2';

interface Reply {
  status: number;
  body: string;
}

describe('kartstream serve --share', () => {
  const temp = useTempHome();
  const uiDir = join(temp.home, 'ui');
  const env = { KARTSTREAM_HOME: temp.home, KARTSTREAM_RENDERER_DIR: uiDir };
  let serve: SharedServe;
  let loopbackUrl = '';
  let origin = '';
  let fingerprint = '';
  let agent: PinnedAgent;

  beforeAll(async () => {
    serve = await startShareServe({ lab: LAB, address: ADDRESS, env });
    const { lines } = serve;
    expect(lines[0]).toMatch(/^KartStream UI: http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]+\/$/);
    loopbackUrl = serve.loopbackUrl;
    expect(lines[1]).toMatch(/^KartStream share: https:\/\/127\.0\.0\.2:\d+ \(lab gameday\)$/);
    origin = serve.shareOrigin;
    fingerprint = serve.fingerprint;
    expect(fingerprint, lines.join('\n')).not.toBe('');
    agent = new PinnedAgent(fingerprint);
  }, 120_000);

  afterAll(async () => {
    await serve.stop();
    temp.cleanup();
  });

  const shareCall = (url: string, body?: unknown, pinned: Agent = agent): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          agent: pinned,
          method: body === undefined ? 'GET' : 'POST',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += String(chunk)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const loopbackCall = (url: string, body?: unknown): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += String(chunk)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const invite = async (role: string, person: string) => {
    const result = await cli(
      ['invite', '--name', LAB, '--role', role, '--person', person, '-o', 'json'],
      env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const made = JSON.parse(result.stdout) as { url: string; role: string; person: string; expires: string };
    expect(Object.keys(made).sort()).toEqual(['expires', 'person', 'role', 'url']);
    expect(made.url.startsWith(`${origin}/t/`)).toBe(true);
    return made;
  };

  const openSocket = (base: string) => {
    const ws = new WebSocket(`${base.replace(/^https:/, 'wss:')}ws`, { agent });
    const events = wakeup();
    const state: { open: boolean; closedAt?: number; code?: number; refused?: number } = { open: false };
    ws.on('open', () => ((state.open = true), events.wake()));
    ws.on('close', (code) => ((state.closedAt = Date.now()), (state.code = code), events.wake()));
    ws.on('unexpected-response', (_req, res) => ((state.refused = res.statusCode), events.wake()));
    ws.on('error', () => events.wake());
    return { ws, state, events };
  };

  it('serves the printed certificate (a client pinning another refuses it) and keeps its key 0600', async () => {
    const observer = await invite('observer', 'Olga');
    expect((await shareCall(`${observer.url}trpc/app.info`)).status).toBe(200);
    const wrongPin = new PinnedAgent(fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00'));
    await expect(shareCall(`${observer.url}trpc/app.info`, undefined, wrongPin)).rejects.toThrow(
      'is not the pinned',
    );
    const share = join(temp.home, 'labs', LAB, 'share');
    expect(statSync(join(share, 'tls-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(share, 'invites.json')).mode & 0o777).toBe(0o600);
  });

  it('lets an observer read and refuses a mutation with FORBIDDEN naming the role', async () => {
    const { url } = await invite('observer', 'Otto');
    const whoami = await shareCall(`${url}trpc/share.whoami`);
    expect(JSON.parse(whoami.body)).toMatchObject({ result: { data: { person: 'Otto', role: 'observer' } } });
    const status = JSON.parse(
      (await shareCall(`${url}trpc/share.status?input=${encodeURIComponent(JSON.stringify({ lab: LAB }))}`))
        .body,
    ) as {
      result: { data: { fingerprint: string } };
    };
    expect(status.result.data.fingerprint).toBe(fingerprint);
    const scale = await shareCall(`${url}trpc/actions.scaleDeployment`, {
      lab: LAB,
      deployment: 'cartservice',
      replicas: 0,
    });
    expect(scale.status).toBe(403);
    const error = JSON.parse(scale.body) as { error: { message: string; data: { code: string } } };
    expect(error.error.data.code).toBe('FORBIDDEN');
    expect(error.error.message).toContain(
      'Otto has the observer role, which may not call actions.scaleDeployment',
    );
    expect(
      (await shareCall(`${url}trpc/share.invite`, { lab: LAB, person: 'Mallory', role: 'facilitator' }))
        .status,
    ).toBe(403);
  });

  it('lets an operator act on the lab but not inject faults', async () => {
    const { url } = await invite('operator', 'Oscar');
    // Past the role check: refused only because this test has no lab running.
    const scale = await shareCall(`${url}trpc/actions.scaleDeployment`, {
      lab: LAB,
      deployment: 'cartservice',
      replicas: 2,
    });
    expect(JSON.parse(scale.body).error.data.code).not.toBe('FORBIDDEN');
    const fail = await shareCall(`${url}trpc/actions.failNode`, { lab: LAB, node: 'backend-1' });
    expect(fail.status).toBe(403);
    expect(JSON.parse(fail.body).error.message).toContain('it needs "inject": roles facilitator');
  });

  it("gives participants a kubectl console, never a shell, and keeps the two listeners' tokens apart", async () => {
    const { url } = await invite('facilitator', 'Fran');
    const wss = url.replace(/^https:/, 'wss:');
    const terminal = new WebSocket(`${wss}terminal?lab=${LAB}`, { agent });
    let output = '';
    terminal.on('message', (data) => (output += String(data)));
    await new Promise((resolve) => terminal.once('open', resolve));
    terminal.send(JSON.stringify({ type: 'input', data: 'echo $HOME\r' }));
    await waitFor(
      'the console to refuse a host command',
      () => output,
      (o) => o.includes('refused: echo is not a command here'),
      10_000,
    );
    expect(output).toContain(`KartStream console for lab ${LAB}, as Fran`);
    terminal.close();
    const inviteToken = url.split('/t/')[1] ?? '';
    const loopbackToken = loopbackUrl.split('/t/')[1] ?? '';
    expect((await loopbackCall(`${loopbackUrl.split('/t/')[0]}/t/${inviteToken}trpc/app.info`)).status).toBe(
      403,
    );
    expect((await shareCall(`${origin}/t/${loopbackToken}trpc/app.info`)).status).toBe(403);
    expect((await loopbackCall(`${loopbackUrl}trpc/app.info`)).status).toBe(200);
  });

  it("shows presence, and cuts a revoked invite's live socket within a second", async () => {
    const { url } = await invite('scribe', 'Sam');
    const socket = openSocket(url);
    await waitFor(
      'the scribe socket to open',
      () => socket.state.open,
      (open) => open,
      10_000,
      {
        wakeup: socket.events,
      },
    );
    const invites = JSON.parse(
      (
        await loopbackCall(
          `${loopbackUrl}trpc/share.invites?input=${encodeURIComponent(JSON.stringify({ lab: LAB }))}`,
        )
      ).body,
    ) as { result: { data: { person: string; online: boolean; state: string }[] } };
    expect(invites.result.data.find((i) => i.person === 'Sam')).toMatchObject({
      online: true,
      state: 'active',
    });

    const revoke = await cli(['invite', 'revoke', '--name', LAB, 'Sam'], env);
    expect(revoke.exitCode, revoke.stderr).toBe(0);
    const revokedAt = Date.now();
    await waitFor(
      'the revoked socket to close',
      () => socket.state.closedAt,
      (at) => at !== undefined,
      1_000,
      {
        wakeup: socket.events,
      },
    );
    expect(socket.state.code).toBe(4403);
    expect((socket.state.closedAt ?? Infinity) - revokedAt).toBeLessThan(1_000);
    const again = openSocket(url);
    await waitFor(
      'the reconnect to be refused',
      () => again.state.refused,
      (s) => s !== undefined,
      5_000,
      {
        wakeup: again.events,
      },
    );
    expect(again.state.refused).toBe(403);
    expect((await shareCall(`${url}trpc/app.info`)).status).toBe(403);
  });

  it('closes every remote connection at once when sharing stops, and the loopback listener goes on', async () => {
    const sockets = await Promise.all(
      ['Pia', 'Quinn'].map(async (person) => {
        const made = await loopbackCall(`${loopbackUrl}trpc/share.invite`, {
          lab: LAB,
          person,
          role: 'observer',
        });
        const { url } = (JSON.parse(made.body) as { result: { data: { url: string } } }).result.data;
        const socket = openSocket(url);
        await waitFor(
          `${person}'s socket to open`,
          () => socket.state.open,
          (open) => open,
          10_000,
          {
            wakeup: socket.events,
          },
        );
        return socket;
      }),
    );
    expect((await loopbackCall(`${loopbackUrl}trpc/share.stop`, {})).status).toBe(200);
    for (const socket of sockets)
      await waitFor(
        'the remote socket to close',
        () => socket.state.closedAt,
        (at) => at !== undefined,
        1_000,
        {
          wakeup: socket.events,
        },
      );
    await expect(shareCall(`${origin}/t/x/`)).rejects.toThrow(/ECONNREFUSED/);
    expect((await loopbackCall(`${loopbackUrl}trpc/app.info`)).status).toBe(200);
    const status = JSON.parse(
      (
        await loopbackCall(
          `${loopbackUrl}trpc/share.status?input=${encodeURIComponent(JSON.stringify({ lab: LAB }))}`,
        )
      ).body,
    ) as { result: { data: { sharing: boolean } } };
    expect(status.result.data.sharing).toBe(false);
  });
});
