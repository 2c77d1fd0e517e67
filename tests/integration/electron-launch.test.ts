// The desktop shell for real: Playwright launches electron/main.js, which starts `kartstream
// serve` and opens its window. Only where the Electron binary is installed (the optional
// `electron` package needs Node >= 22.12 and a download) and there is a display; elsewhere it
// is skipped, with the reason in its name. The shell's logic is covered by tests/unit/electron.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO, useTempHome } from './helpers/lab-env.ts';

/** Why the launch cannot run here, or undefined when it can. */
const whyNot = (): string | undefined => {
  let binary: unknown;
  try {
    // The electron package's main export is the path of the binary its postinstall downloaded.
    binary = createRequire(import.meta.url)('electron');
  } catch {
    return 'the Electron binary is not installed (needs Node >= 22.12 and its download)';
  }
  if (typeof binary !== 'string' || !existsSync(binary))
    return 'the electron package is installed but its binary is missing (its download did not finish)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'there is no display (set DISPLAY, e.g. run under xvfb-run)';
  return undefined;
};

const reason = whyNot();

describe('the desktop shell', () => {
  it.skipIf(reason !== undefined)(
    reason ? `skipped: ${reason}` : 'opens one locked-down window on the core server’s UI',
    async () => {
      const home = useTempHome();
      const env = { ...process.env, KARTSTREAM_HOME: home.home } as Record<string, string>;
      delete env.ELECTRON_RUN_AS_NODE;
      const app = await _electron.launch({ args: [join(REPO, 'electron/main.js')], cwd: REPO, env });
      try {
        const page = await app.firstWindow();
        await page.getByTestId('nav-labs').waitFor({ timeout: 120_000 });
        const url = page.url();
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]{43}\/$/);

        const prefs = await app.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows()[0]?.webContents.getLastWebPreferences(),
        );
        expect(prefs).toMatchObject({
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webSecurity: true,
          webviewTag: false,
        });
        expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

        // The page gets four things from the preload, and no Node.
        expect(await page.evaluate('Object.keys(window.kartstream)')).toEqual([
          'serverUrl',
          'token',
          'openFile',
          'saveFile',
        ]);
        expect(await page.evaluate('window.kartstream.serverUrl === location.href')).toBe(true);
        expect(await page.evaluate('typeof require + typeof process')).toBe('undefinedundefined');

        // The Content-Security-Policy holds: no eval.
        expect(
          await page.evaluate('(() => { try { eval("1"); return "ran"; } catch { return "refused"; } })()'),
        ).toBe('refused');

        // No new windows, no navigation away from the app.
        expect(await page.evaluate('window.open("https://example.com/") === null')).toBe(true);
        // The verdict is read from the main process: a `will-navigate` listener added after the
        // shell's guard sees whether the guard prevented the navigation (no guessed delay).
        await app.evaluate(({ BrowserWindow }) => {
          const contents = BrowserWindow.getAllWindows()[0]!.webContents;
          (globalThis as { navigationVerdict?: Promise<unknown> }).navigationVerdict = new Promise(
            (resolve) => {
              const none = setTimeout(() => resolve('no will-navigate event within 20 s'), 20_000);
              contents.once('will-navigate', (event: { url: string; defaultPrevented: boolean }) => {
                clearTimeout(none);
                resolve({ url: event.url, prevented: event.defaultPrevented });
              });
            },
          );
        });
        await page.evaluate('location.href = "https://example.com/"');
        expect(
          await app.evaluate(
            () => (globalThis as { navigationVerdict?: Promise<unknown> }).navigationVerdict,
          ),
        ).toEqual({ url: 'https://example.com/', prevented: true });
        expect(page.url()).toBe(url);
        expect(app.windows()).toHaveLength(1);
      } finally {
        await app.close();
        home.cleanup();
      }
    },
    300_000,
  );
});
