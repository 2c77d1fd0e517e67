// The per-launch token from the browser's side: a URL with a wrong (or no) token gets no UI, and
// the page, once open, keeps the token in memory only: no request carries it in a query string,
// nothing in localStorage, sessionStorage or cookies holds it, and the Referer never leaks it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.ts';
import { launchChromium, screenshot, screenshotOnFailure } from './helpers/browser.ts';
import { startServe, type ServedApp } from './helpers/serve.ts';

describe('the token in the browser', () => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-e2e-token-'));
  let app: ServedApp;
  let browser: Browser;
  let page: Page | undefined;
  screenshotOnFailure(() => page);

  beforeAll(async () => {
    app = await startServe({ home });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('prints exactly one line on stdout: the URL with a token of at least 128 bits', () => {
    expect(app.stdout().trimEnd().split('\n')).toEqual([`KartStream UI: ${app.url}`]);
    expect(Buffer.from(app.token, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('answers a wrong token with 403, a missing one with 401 or 403, and shows no UI', async () => {
    page = await browser.newPage();
    const wrong = `${app.token.slice(0, -4)}${app.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    // A wrong token is 403; no token at all may be 401 (nothing to check) or 403.
    const cases: [string, number[]][] = [
      [`${app.origin}/t/${wrong}/`, [403]],
      [`${app.origin}/t/${wrong}/trpc/labs.list`, [403]],
      [`${app.origin}/`, [401, 403]],
    ];
    for (const [url, statuses] of cases) {
      const response = await page.goto(url);
      expect(statuses, `${url} answered ${response?.status()}`).toContain(response?.status());
      const body = await page.content();
      expect(body).not.toContain('<script');
      expect(body).not.toContain(app.token);
    }
    await screenshot(page, 'token-wrong');
    await page.close();
  });

  it('keeps the token out of query strings, storage, cookies and the Referer', async () => {
    const context = await browser.newContext();
    page = await context.newPage();
    const requests: string[] = [];
    const sockets: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const response = await page.goto(app.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    // No lab in this home: the page offers to create one, after its API calls and subscriptions.
    await page.getByTestId('create-lab-form').waitFor({ timeout: 30_000 });
    // Its WebSocket is open and its API calls made, however long the page took to get there.
    await waitFor(
      "the page's API requests and its WebSocket",
      () => ({ requests: requests.length, sockets: sockets.length }),
      (seen) => seen.requests > 1 && seen.sockets > 0,
      30_000,
    );
    await page.waitForLoadState('networkidle');

    expect(requests.length).toBeGreaterThan(1);
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of [...requests, ...sockets]) {
      const parsed = new URL(url);
      expect([url, parsed.search.includes(app.token), parsed.hash.includes(app.token)]).toEqual([
        url,
        false,
        false,
      ]);
    }
    const stored = String(
      await page.evaluate(
        'JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])',
      ),
    );
    expect(stored).not.toContain(app.token);
    expect((await context.cookies()).map((c) => c.value).join(' ')).not.toContain(app.token);
    await context.close();
  });

  it('stops on SIGTERM and leaves none of its processes behind', async () => {
    await browser.close();
    expect(await app.stop()).toEqual({ exited: true, leftovers: [] });
  });
});
