// The window's security settings, its Content-Security-Policy and where it may go: the pure
// half of electron/main.js, checked where Electron itself cannot run.
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  externalUrl,
  isAllowedNavigation,
  permissionAllowed,
  windowOptions,
  withContentSecurityPolicy,
} from '../../../electron/window-options.js';

const ORIGIN = 'http://127.0.0.1:43117';
const TOKEN = 'q8Yt2Zr0Jd6lS9kVxB3nW1cA5eF7gH4iK0mN2oP6rT8';
const APP = `${ORIGIN}/t/${TOKEN}/`;

/** The policy as directive → sources. */
const directives = (policy: string): Map<string, string[]> =>
  new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );

describe('windowOptions', () => {
  it('isolates and sandboxes the page, with no Node, webviews or insecure content', () => {
    const { webPreferences } = windowOptions({ preloadPath: '/app/electron/preload.cjs', dark: false });
    expect(webPreferences).toEqual({
      preload: '/app/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
  });

  it('stays hidden until its first paint, on a background that follows the OS theme', () => {
    const light = windowOptions({ preloadPath: 'p', dark: false });
    const dark = windowOptions({ preloadPath: 'p', dark: true });
    expect(light.show).toBe(false);
    expect(light.backgroundColor).not.toBe(dark.backgroundColor);
    expect(light.width).toBeGreaterThanOrEqual(light.minWidth);
  });
});

describe('contentSecurityPolicy', () => {
  const policy = contentSecurityPolicy(ORIGIN);
  const csp = directives(policy);

  it('runs only the app’s own scripts: no eval, no inline script, no wildcard', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toMatch(/(^|\s)\*/);
    for (const [name, sources] of csp)
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
  });

  it('connects only to the loopback server, over HTTP and its WebSocket', () => {
    expect(csp.get('connect-src')).toEqual(["'self'", ORIGIN, 'ws://127.0.0.1:43117']);
    expect(csp.get('default-src')).toEqual(["'self'", ORIGIN]);
  });

  it('forbids plugins, base changes, framing and form posts', () => {
    for (const name of ['object-src', 'base-uri', 'frame-ancestors', 'form-action'])
      expect(csp.get(name), name).toEqual(["'none'"]);
  });

  it.each(['https://127.0.0.1:43117', 'http://example.com:80', 'http://127.0.0.1', 'http://127.0.0.1:1/x'])(
    'refuses a server origin that is not loopback http with a port: %s',
    (origin) => expect(() => contentSecurityPolicy(origin)).toThrow(/not a loopback server origin/),
  );
});

describe('withContentSecurityPolicy', () => {
  it('adds the policy and keeps the other headers, without changing its input', () => {
    const headers = { 'Content-Type': ['text/html'] };
    expect(withContentSecurityPolicy(headers, 'P')).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': ['P'],
    });
    expect(headers).toEqual({ 'Content-Type': ['text/html'] });
  });

  it('keeps a policy the server sent (in any case) next to ours, so both apply', () => {
    expect(withContentSecurityPolicy({ 'content-security-policy': ['S'] }, 'P')).toEqual({
      'content-security-policy': ['S', 'P'],
    });
    expect(withContentSecurityPolicy(undefined, 'P')).toEqual({ 'Content-Security-Policy': ['P'] });
  });
});

describe('isAllowedNavigation', () => {
  it.each([APP, `${APP}index.html`, `${APP}assets/index-abc.js`, `${APP}#/map`, `${APP}?lab=demo`])(
    'allows the app: %s',
    (url) => expect(isAllowedNavigation(url, APP)).toBe(true),
  );

  it.each([
    ['another port', `http://127.0.0.1:9090/t/${TOKEN}/`],
    ['another host', `http://localhost:43117/t/${TOKEN}/`],
    ['https', `https://127.0.0.1:43117/t/${TOKEN}/`],
    ['another token', `${ORIGIN}/t/other-token/`],
    ['outside the token path', `${ORIGIN}/`],
    ['a token prefix only', `${ORIGIN}/t/${TOKEN.slice(0, -1)}/`],
    ['a path that climbs out', `${APP}../../x/`],
    ['credentials that hide the host', `http://127.0.0.1:43117@evil.example/t/${TOKEN}/`],
    ['a foreign site', 'https://evil.example/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['not a URL', 'not a url'],
  ])('refuses %s', (_what, url) => expect(isAllowedNavigation(url, APP)).toBe(false));
});

describe('externalUrl', () => {
  it.each([
    ['https anywhere', 'https://grafana.example.com/d/shop', 'https://grafana.example.com/d/shop'],
    ['a lab’s Grafana on loopback', 'http://127.0.0.1:3000/d/shop', 'http://127.0.0.1:3000/d/shop'],
  ])('opens %s in the OS browser', (_what, url, expected) => expect(externalUrl(url, APP)).toBe(expected));

  it.each([
    ['the app itself (its URLs carry the token)', `${APP}#/map`],
    ['plain http off loopback', 'http://example.com/'],
    ['file:', 'file:///etc/passwd'],
    ['smb:', 'smb://server/share'],
    ['javascript:', 'javascript:alert(1)'],
    ['not a URL', '::'],
  ])('opens nothing for %s', (_what, url) => expect(externalUrl(url, APP)).toBeUndefined());
});

describe('permissionAllowed', () => {
  it('lets the app write to the clipboard (the terminal’s copy), asked by URL or by origin', () => {
    expect(permissionAllowed('clipboard-sanitized-write', `${APP}#/map`, APP)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', ORIGIN, APP)).toBe(true);
  });

  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'midi'])(
    'denies %s, even to the app',
    (permission) => expect(permissionAllowed(permission, APP, APP)).toBe(false),
  );

  it.each(['https://evil.example', 'http://127.0.0.1:9090', 'file:///', ''])(
    'denies clipboard writing to %j',
    (origin) => expect(permissionAllowed('clipboard-sanitized-write', origin, APP)).toBe(false),
  );
});
