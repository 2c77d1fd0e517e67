// The core server, attacked as an attacker would: the real `kartstream serve` process, plain HTTP
// and WebSocket clients that forge tokens, Host and Origin headers, broken and oversized inputs.
// Every attempt is refused, and afterwards the server still answers a good call.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const SECRET = 'secret-next-to-the-ui-dir';

describe('core server security (kartstream serve)', () => {
  const temp = useTempHome();
  const uiDir = join(temp.home, 'ui');
  let serve: ResultPromise<{ buffer: false; reject: false }>;
  let stdout = '';
  let stderr = '';
  let token = '';
  let port = 0;

  beforeAll(async () => {
    // A prebuilt UI (the packaged app's path): the test does not depend on a Vite build.
    mkdirSync(join(uiDir, 'assets'), { recursive: true });
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>KartStream</title><div id="root"></div>');
    writeFileSync(join(uiDir, 'assets/app.js'), 'console.log("ui");');
    writeFileSync(join(temp.home, 'secret.txt'), SECRET);
    serve = execa(process.execPath, [join(REPO, 'bin/kartstream.js'), 'serve', '--port', '0'], {
      cwd: REPO,
      env: { KARTSTREAM_HOME: temp.home, KARTSTREAM_RENDERER_DIR: uiDir },
      buffer: false,
      reject: false,
    });
    serve.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      serve.stdout.on('data', (chunk: Buffer) => {
        stdout += String(chunk);
        if (stdout.includes('\n')) resolve();
      });
      void serve.then(() => reject(new Error(`serve exited before printing its URL:\n${stderr}`)));
    });
    const match = /^KartStream UI: (http:\/\/127\.0\.0\.1:(\d+)\/t\/([A-Za-z0-9_-]+)\/)\n$/.exec(stdout);
    expect(match, stdout).not.toBeNull();
    token = match?.[3] ?? '';
    port = Number(match?.[2]);
  }, 120_000);

  afterAll(async () => {
    serve.kill('SIGTERM');
    await serve;
    temp.cleanup();
  });

  const send = (
    path: string,
    options: {
      method?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      chunked?: boolean;
    } = {},
  ): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: options.method ?? 'GET',
          headers: { host: `127.0.0.1:${port}`, ...options.headers },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += String(c)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      if (options.body !== undefined && !options.chunked)
        req.setHeader('content-length', Buffer.byteLength(options.body));
      if (options.body !== undefined) req.setHeader('content-type', 'application/json');
      req.end(options.body);
    });

  const base = () => `/t/${token}/`;
  const otherToken = () => {
    const swap = (c: string) => (c === 'A' ? 'B' : 'A');
    return swap(token[0] ?? '') + token.slice(1);
  };
  const queryPath = (proc: string, input: unknown) =>
    `${base()}trpc/${proc}?input=${encodeURIComponent(JSON.stringify(input))}`;

  // An upgrade attempt's outcome: refused with an HTTP status, or accepted. An accepted socket is
  // returned once open (`until: 'open'`, for routes that keep it), or once the server closes it
  // (`until: 'close'`, for routes that must close it at once) — never after a guessed delay.
  const upgrade = (
    path: string,
    options: {
      origin?: string;
      host?: string;
      headers?: Record<string, string>;
      until?: 'open' | 'close';
    } = {},
  ): Promise<{ opened: WebSocket } | { status: number } | { closed: number; reason: string }> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
        ...(options.origin ? { origin: options.origin } : {}),
        headers: { ...(options.host ? { host: options.host } : {}), ...options.headers },
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0 });
        res.resume();
      });
      ws.on('open', () => {
        if (options.until !== 'close') resolve({ opened: ws });
      });
      ws.on('close', (code, reason) => resolve({ closed: code, reason: String(reason) }));
      ws.on('error', (error) => {
        if (!/Unexpected server response/.test(error.message)) reject(error);
      });
    });

  it('prints exactly one line on stdout: the URL with a 256-bit token', () => {
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('serves the UI with its security headers and content types', async () => {
    const page = await send(base());
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'self'; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; ` +
        "img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; " +
        "base-uri 'none'; frame-ancestors 'none'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = await send(`${base()}assets/app.js`);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log("ui");');
    // A client-side route gets the page; a missing asset does not.
    expect((await send(`${base()}map/backend`)).body).toContain('<div id="root">');
    expect((await send(`${base()}assets/missing.js`)).status).toBe(404);
  });

  it('never serves a file outside the UI dir', async () => {
    for (const path of [
      `${base()}../secret.txt`,
      `${base()}..%2Fsecret.txt`,
      `${base()}assets/..%2F..%2Fsecret.txt`,
      `${base()}%2e%2e/secret.txt`,
      `${base()}..%5Csecret.txt`,
      `${base()}assets%2F..%2F..%2Fsecret.txt`,
    ]) {
      const reply = await send(path);
      expect(reply.body, path).not.toContain(SECRET);
      expect(reply.status, path).not.toBe(200);
    }
  });

  it('refuses requests without the token, with a wrong one, or with it only in the query string', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['/', {}, 401],
      ['/trpc/app.info', {}, 401],
      [`/trpc/app.info?token=${token}`, {}, 401],
      [`/?token=${token}`, {}, 401],
      [`/t/${otherToken()}/`, {}, 403],
      [`/t/${otherToken()}/trpc/app.info`, {}, 403],
      [`/t/${token.slice(0, 20)}/trpc/app.info`, {}, 403],
      [`/t/${token}x/trpc/app.info`, {}, 403],
      ['/trpc/app.info', { authorization: `Bearer ${otherToken()}` }, 403],
      ['/trpc/app.info', { authorization: `Basic ${token}` }, 401],
    ];
    for (const [path, headers, status] of cases) {
      const reply = await send(path, { headers });
      expect(reply.status, path).toBe(status);
      expect(reply.body).not.toContain(token);
      expect(JSON.stringify(reply.headers)).not.toContain(token);
    }
  });

  it('accepts the token as a Bearer header on the bare API path', async () => {
    const reply = await send('/trpc/app.info', { headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ result: { data: { version: expect.any(String) } } });
  });

  it('refuses a foreign Origin and a Host that is not its loopback address', async () => {
    const lan =
      Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? '192.168.1.20';
    const hosts = [
      `evil.example:${port}`,
      `0.0.0.0:${port}`,
      `${lan}:${port}`,
      `localhost:${port + 1}`,
      'evil.example',
    ];
    for (const host of hosts) {
      const reply = await send(`${base()}trpc/app.info`, { headers: { host } });
      expect(reply.status, host).toBe(403);
      expect(reply.body).not.toContain(token);
    }
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      const reply = await send(`${base()}trpc/app.info`, { headers: { origin } });
      expect(reply.status, origin).toBe(403);
    }
    const own = await send(`${base()}trpc/app.info`, {
      headers: { origin: `http://localhost:${port}`, host: `localhost:${port}` },
    });
    expect(own.status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token, with a wrong one, or from a foreign page', async () => {
    expect(await upgrade('/ws')).toEqual({ status: 401 });
    expect(await upgrade(`/ws?token=${token}`)).toEqual({ status: 401 });
    expect(await upgrade(`/t/${otherToken()}/ws`)).toEqual({ status: 403 });
    expect(await upgrade(`/t/${token.slice(1)}/ws`)).toEqual({ status: 403 });
    expect(await upgrade(`${base()}ws`, { origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await upgrade(`${base()}ws`, { host: `evil.example:${port}` })).toEqual({ status: 403 });
    expect(await upgrade(`/t/${otherToken()}/terminal?lab=kartstream`)).toEqual({ status: 403 });
    expect(await upgrade(`${base()}terminal?lab=kartstream`, { origin: 'http://evil.example' })).toEqual({
      status: 403,
    });
  });

  it('closes a terminal socket whose lab name is not a lab name, saying why', async () => {
    const result = await upgrade(`${base()}terminal?lab=${encodeURIComponent('../../etc; rm -rf')}`, {
      until: 'close',
    });
    expect(result).toMatchObject({ closed: 1008, reason: expect.stringContaining('invalid lab name') });
    expect(await upgrade(`${base()}terminal`, { until: 'close' })).toMatchObject({
      closed: 1008,
      reason: expect.stringContaining('?lab='),
    });
  });

  it('answers tRPC over its own WebSocket, also after a malformed message', async () => {
    const result = await upgrade(`${base()}ws`, { origin: `http://127.0.0.1:${port}` });
    expect(result).toHaveProperty('opened');
    const ws = (result as { opened: WebSocket }).opened;
    const replies: unknown[] = [];
    const got = new Promise<void>((resolve) =>
      ws.on('message', (m) => {
        replies.push(JSON.parse(String(m)));
        if (replies.length === 3) resolve();
      }),
    );
    ws.send('{not json');
    ws.send(
      JSON.stringify({ id: 1, method: 'subscription', params: { path: 'tasks.watch', input: { id: 7 } } }),
    );
    ws.send(JSON.stringify({ id: 2, method: 'query', params: { path: 'app.info' } }));
    await got;
    ws.close();
    expect(replies).toContainEqual(expect.objectContaining({ id: null, error: expect.anything() }));
    expect(replies).toContainEqual(
      expect.objectContaining({
        id: 1,
        error: expect.objectContaining({
          data: expect.objectContaining({
            wire: expect.objectContaining({ fields: [expect.objectContaining({ path: 'id' })] }),
          }),
        }),
      }),
    );
    expect(replies).toContainEqual({
      id: 2,
      result: { type: 'data', data: expect.objectContaining({ desktop: false }) },
    });
  });

  it('turns bad RPC input into validation errors that name the field', async () => {
    const malformed = await send(`${base()}trpc/labs.create`, { method: 'POST', body: '{"name": "a",' });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ error: { data: { httpStatus: 400 } } });

    const wrongType = await send(`${base()}trpc/labs.create`, { method: 'POST', body: '{"name": 42}' });
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.body).error.data.wire).toMatchObject({
      code: 'invalid-input',
      fields: [{ path: 'name', message: expect.stringContaining('string') }],
    });

    const unknownField = await send(`${base()}trpc/labs.create`, {
      method: 'POST',
      body: JSON.stringify({ name: 'ok', evil: true }),
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toContain('evil');

    const longName = await send(queryPath('labs.info', { lab: 'a'.repeat(5000) }));
    expect(longName.status).toBe(400);
    expect(JSON.parse(longName.body).error.data.wire.fields).toEqual([
      { path: 'lab', message: expect.stringContaining('at most 32 characters') },
    ]);

    const tooBig = await send(queryPath('metrics.range', { lab: 'kartstream', query: 'x'.repeat(2001) }));
    expect(tooBig.status).toBe(400);
    expect(JSON.parse(tooBig.body).error.data.wire.fields).toEqual([
      { path: 'query', message: expect.any(String) },
    ]);
  });

  it('refuses bodies over 64 KiB with 413, with or without a Content-Length', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(70 * 1024) });
    const declared = await send(`${base()}trpc/labs.create`, { method: 'POST', body });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.data.wire.code).toBe('payload-too-large');
    const chunked = await send(`${base()}trpc/labs.create`, { method: 'POST', body, chunked: true });
    expect(chunked.status).toBe(413);
  });

  it('types engine errors: an unknown lab is a 404 with a fix', async () => {
    const reply = await send(queryPath('labs.info', { lab: 'no-such-lab' }));
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body).error.data.wire).toMatchObject({
      code: 'not-found',
      fix: expect.any(String),
    });
  });

  it('still answers good calls after all of that', async () => {
    const info = await send(`${base()}trpc/app.info`);
    expect(info.status).toBe(200);
    expect(info.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(info.body).result.data).toMatchObject({ defaultLab: 'kartstream', desktop: false });
    const labs = await send(`${base()}trpc/labs.list`);
    expect(labs.status).toBe(200);
    expect(JSON.parse(labs.body)).toEqual({ result: { data: [] } });
  });

  it('listens on 127.0.0.1 only', async () => {
    const listening = await execa('ss', ['-Hltn', `sport = :${port}`], { reject: false });
    if (listening.exitCode === 0)
      expect(String(listening.stdout).trim().split(/\s+/)[3]).toBe(`127.0.0.1:${port}`);
    const others = [
      '127.0.0.2',
      ...Object.values(networkInterfaces())
        .flat()
        .filter((i) => i && i.family === 'IPv4' && !i.internal)
        .map((i) => i?.address ?? ''),
    ];
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, address).toBe('ECONNREFUSED');
    }
  });

  it('refuses a port that is taken, saying how to fix it', async () => {
    const r = await cli(['serve', '--port', String(port)], { KARTSTREAM_RENDERER_DIR: uiDir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).toContain('fix: ');
    expect(r.stdout).toBe('');
  });

  it('keeps the token out of its log and stops cleanly on SIGTERM', async () => {
    expect(stderr).toContain('refused');
    expect(stderr).not.toContain(token);
    serve.kill('SIGTERM');
    const result = await serve;
    expect(result.exitCode).toBe(0);
    expect(stderr).toContain('stopped');
    expect(stderr).not.toContain(token);
  });
});
