// The Share panel in Chromium: the facilitator (the local user, on the loopback UI) sees the
// shared address and the certificate fingerprint, invites an observer, sees them come online
// and revokes them; the observer opens their link over HTTPS on 127.0.0.2 in a second context,
// sees who they are and no invite form, and is cut off by the revocation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.ts';
import { attr, launchChromium, screenshot, screenshotOnFailure, shownErrors } from './helpers/browser.ts';
import { startServe, type ServedApp } from './helpers/serve.ts';

const LAB = 'gameday';

/** The SHA-256 fingerprint of the certificate the share listener actually serves. */
const servedFingerprint = (host: string, port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });

describe('the Share panel', () => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-e2e-share-'));
  let app: ServedApp;
  let browser: Browser;
  let facilitator: Page | undefined;
  let observer: Page | undefined;
  let shareOrigin = '';
  screenshotOnFailure(() => facilitator);

  beforeAll(async () => {
    app = await startServe({ home, args: ['--name', LAB, '--share', '--address', '127.0.0.2'] });
    browser = await launchChromium();
    shareOrigin = /^KartStream share: (\S+) /m.exec(app.stdout())?.[1] ?? '';
    expect(shareOrigin, app.stdout()).toMatch(/^https:\/\/127\.0\.0\.2:\d+$/);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('shows the facilitator the fingerprint of the certificate that is served', async () => {
    facilitator = await browser.newPage();
    await facilitator.goto(`${app.url}#/share?lab=${LAB}`);
    const panel = facilitator.getByTestId('share-panel');
    await waitFor(
      'the panel to show sharing',
      () => attr(panel, 'data-sharing'),
      (s) => s === 'true',
      30_000,
    );
    const shown = await facilitator.getByTestId('share-fingerprint').innerText();
    const port = Number(new URL(shareOrigin).port);
    expect(shown).toBe(await servedFingerprint('127.0.0.2', port));
    expect(app.stdout()).toContain(`Certificate SHA-256: ${shown}`);
  });

  it('invites an observer, who opens the link over HTTPS and sees no invite form', async () => {
    const page = facilitator as Page;
    await page.getByLabel('Person', { exact: true }).fill('Olga');
    await page.getByLabel('Role', { exact: true }).selectOption('observer');
    await page.getByTestId('invite-create').click();
    const link = page.getByTestId('invite-link');
    await link.waitFor({ timeout: 10_000 }).catch(async () => {
      throw new Error(`no invite link: ${await shownErrors(page)}`);
    });
    const url = /https:\/\/\S+\/t\/[A-Za-z0-9_-]+\//.exec(await link.innerText())?.[0] ?? '';
    expect(url.startsWith(`${shareOrigin}/t/`)).toBe(true);
    await page.getByTestId('invite-row-Olga').waitFor();
    expect(await attr(page.getByTestId('participant-Olga'), 'data-online')).toBe('false');

    // The observer's browser: the self-signed certificate is accepted in this context only.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    observer = await context.newPage();
    await observer.goto(`${url}#/share?lab=${LAB}`);
    await observer.getByTestId('share-me').waitFor({ timeout: 30_000 });
    expect(await observer.getByTestId('share-me').innerText()).toBe('Olga · observer');
    expect(await observer.getByTestId('share-fingerprint').innerText()).toBe(
      await page.getByTestId('share-fingerprint').innerText(),
    );
    expect(await observer.getByTestId('invite-create').count()).toBe(0);
    await screenshot(observer, 'share-observer');

    await waitFor(
      'Olga to show as online to the facilitator',
      () => attr(page.getByTestId('participant-Olga'), 'data-online'),
      (online) => online === 'true',
      15_000,
    );
    await screenshot(page, 'share-facilitator');
  });

  it('revokes the observer, who is refused from then on', async () => {
    const page = facilitator as Page;
    const row = page.getByTestId('invite-row-Olga');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await waitFor(
      'the row to say revoked',
      () => attr(row, 'data-state'),
      (s) => s === 'revoked',
      10_000,
    );
    expect(await attr(page.getByTestId('participant-Olga'), 'data-online')).toBe('false');
    const status = await (observer as Page).evaluate(() => fetch('trpc/app.info').then((r) => r.status));
    expect(status).toBe(403);
  });
});
