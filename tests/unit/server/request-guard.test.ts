import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  checkRequest,
  hostAllowed,
  newToken,
  originAllowed,
  parseRequestPath,
  safeRelativePath,
  tokensEqual,
} from '../../../core/server/request-guard.ts';

const PORT = 43117;
const TOKEN = newToken();
const expected = { token: TOKEN, port: PORT };
const okFacts = { host: `127.0.0.1:${PORT}` };

describe('newToken', () => {
  it('is 32 random bytes in base64url, new each time', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
  });
});

describe('tokensEqual', () => {
  it('accepts only the exact token', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    const flipped = (TOKEN[0] === 'A' ? 'B' : 'A') + TOKEN.slice(1);
    expect(tokensEqual(flipped, TOKEN)).toBe(false);
  });

  it('rejects other lengths, empty and missing tokens', () => {
    expect(tokensEqual(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokensEqual(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
    expect(tokensEqual(undefined, TOKEN)).toBe(false);
  });
});

describe('hostAllowed', () => {
  it('accepts the loopback address and localhost with our port', () => {
    expect(hostAllowed(`127.0.0.1:${PORT}`, PORT)).toBe(true);
    expect(hostAllowed(`localhost:${PORT}`, PORT)).toBe(true);
    expect(hostAllowed(`LOCALHOST:${PORT}`, PORT)).toBe(true);
  });

  it('rejects rebound names, other ports, other addresses and a missing Host', () => {
    for (const host of [
      `evil.example:${PORT}`,
      `127.0.0.1:${PORT + 1}`,
      '127.0.0.1',
      `0.0.0.0:${PORT}`,
      `192.168.1.20:${PORT}`,
      `[::1]:${PORT}`,
      `127.0.0.1.evil.example:${PORT}`,
      `localhost:${PORT}.evil.example`,
      undefined,
    ])
      expect(hostAllowed(host, PORT), String(host)).toBe(false);
  });
});

describe('originAllowed', () => {
  it('accepts no Origin (not a web page) and our own origins', () => {
    expect(originAllowed(undefined, PORT)).toBe(true);
    expect(originAllowed(`http://127.0.0.1:${PORT}`, PORT)).toBe(true);
    expect(originAllowed(`http://localhost:${PORT}`, PORT)).toBe(true);
  });

  it('rejects foreign, opaque and look-alike origins', () => {
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${PORT}`,
      `https://127.0.0.1:${PORT}`,
      `http://127.0.0.1:${PORT + 1}`,
      `http://127.0.0.1:${PORT}.evil.example`,
      'null',
      'file://',
      '',
    ])
      expect(originAllowed(origin, PORT), origin).toBe(false);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header and nothing else', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`Basic ${TOKEN}`)).toBeUndefined();
    expect(bearerToken(`Bearer ${TOKEN} extra`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('safeRelativePath', () => {
  it('keeps plain file paths', () => {
    expect(safeRelativePath('')).toBe('');
    expect(safeRelativePath('assets/index-abc.js')).toBe('assets/index-abc.js');
    expect(safeRelativePath('map/pool%20one')).toBe('map/pool one');
  });

  it('refuses anything that could leave the UI dir', () => {
    for (const path of [
      '../x',
      'assets/../../x',
      '..%2F..%2Fetc%2Fpasswd',
      'a%5C..%5Cb',
      'a%00b',
      '%E0%A4%A',
    ])
      expect(safeRelativePath(path), path).toBeNull();
  });
});

describe('parseRequestPath', () => {
  it('splits token and route', () => {
    expect(parseRequestPath(`/t/${TOKEN}/`)).toMatchObject({
      pathToken: TOKEN,
      route: { kind: 'ui', file: '' },
    });
    expect(parseRequestPath(`/t/${TOKEN}`)).toMatchObject({
      pathToken: TOKEN,
      route: { kind: 'ui', file: '' },
    });
    expect(parseRequestPath(`/t/${TOKEN}/assets/app.js`)).toMatchObject({
      route: { kind: 'ui', file: 'assets/app.js' },
    });
    expect(parseRequestPath(`/t/${TOKEN}/trpc/labs.list?batch=1`)).toMatchObject({
      pathToken: TOKEN,
      route: { kind: 'trpc', procedure: 'labs.list' },
    });
    expect(parseRequestPath(`/t/${TOKEN}/ws`)?.route).toEqual({ kind: 'ws' });
    const terminal = parseRequestPath(`/t/${TOKEN}/terminal?lab=my-lab`);
    expect(terminal?.route).toEqual({ kind: 'terminal' });
    expect(terminal?.query.get('lab')).toBe('my-lab');
  });

  it('accepts bare API paths (for a Bearer token) but not a bare UI path', () => {
    expect(parseRequestPath('/trpc/app.info')).toMatchObject({
      route: { kind: 'trpc', procedure: 'app.info' },
    });
    expect(parseRequestPath('/trpc/app.info')?.pathToken).toBeUndefined();
    expect(parseRequestPath('/ws')?.route).toEqual({ kind: 'ws' });
    expect(parseRequestPath('/')).toBeNull();
    expect(parseRequestPath('/index.html')).toBeNull();
  });

  it('refuses malformed paths', () => {
    for (const url of [
      '/t/',
      '/t//trpc/app.info',
      `/t/${TOKEN}/trpc/`,
      `/t/${TOKEN}/trpc/a/b`,
      `/t/${TOKEN}/ws/extra`,
      `/t/${TOKEN}/assets/..%2F..%2Fpackage.json`,
      'http://evil.example/t/x/',
      '*',
    ])
      expect(parseRequestPath(url), url).toBeNull();
  });

  it('never turns a path into another host', () => {
    expect(parseRequestPath('//evil.example/trpc/app.info')).toBeNull();
  });
});

describe('checkRequest', () => {
  it('lets a good request through with its route', () => {
    const verdict = checkRequest({ ...okFacts, url: `/t/${TOKEN}/trpc/app.info` }, expected);
    expect(verdict).toMatchObject({ ok: true, route: { kind: 'trpc', procedure: 'app.info' } });
    const fromPage = checkRequest(
      { host: `localhost:${PORT}`, origin: `http://localhost:${PORT}`, url: `/t/${TOKEN}/ws` },
      expected,
    );
    expect(fromPage).toMatchObject({ ok: true, route: { kind: 'ws' } });
  });

  it('accepts a Bearer token on a bare API path', () => {
    expect(
      checkRequest({ ...okFacts, url: '/trpc/app.info', authorization: `Bearer ${TOKEN}` }, expected),
    ).toMatchObject({ ok: true });
  });

  it('refuses missing and wrong tokens, and a token in the query string', () => {
    expect(checkRequest({ ...okFacts, url: '/trpc/app.info' }, expected)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkRequest({ ...okFacts, url: `/trpc/app.info?token=${TOKEN}` }, expected)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkRequest({ ...okFacts, url: `/t/${newToken()}/` }, expected)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(checkRequest({ ...okFacts, url: '/t/short/' }, expected)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(
      checkRequest({ ...okFacts, url: '/trpc/app.info', authorization: `Bearer ${newToken()}` }, expected),
    ).toMatchObject({ ok: false, status: 403 });
  });

  it('checks Host and Origin before the token, and never puts the token in the reason', () => {
    const badHost = checkRequest({ host: `evil.example:${PORT}`, url: `/t/${TOKEN}/` }, expected);
    expect(badHost).toMatchObject({ ok: false, status: 403 });
    const badOrigin = checkRequest(
      { ...okFacts, origin: 'http://evil.example', url: `/t/${TOKEN}/` },
      expected,
    );
    expect(badOrigin).toMatchObject({ ok: false, status: 403 });
    for (const verdict of [badHost, badOrigin]) expect(JSON.stringify(verdict)).not.toContain(TOKEN);
  });

  it('answers 404 for a path of ours that does not exist, once the token is right', () => {
    expect(checkRequest({ ...okFacts, url: `/t/${TOKEN}/trpc/a/b` }, expected)).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});
