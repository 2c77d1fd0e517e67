// One e2e session: a fresh KARTSTREAM_HOME, moto_server for the promote view, `kartstream serve`
// with both in its environment, and one Chromium page on the URL it printed. The flows in
// tests/e2e/flows/ read it at test time (it is filled in by beforeAll).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cli } from '../../integration/helpers/lab-env.ts';
import { startMoto, type MotoServer } from '../../integration/promote/moto-server.ts';
import { launchChromium } from './browser.ts';
import { startServe, type ServedApp } from './serve.ts';

export interface E2eSession {
  /** The lab the tests create from the page. */
  lab: string;
  home: string;
  moto: MotoServer;
  app: ServedApp;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page (pageerror), for the last check. */
  pageErrors: string[];
  /** Set once the lab exists: the lab's kubeconfig, for kubectl. */
  kubeconfig: string;
  /** Set by the teardown test, so afterAll does not stop things twice. */
  stopped: boolean;
}

export const openSession = async (lab: string): Promise<E2eSession> => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-e2e-'));
  // cli() (the independent CLI checks) runs with this process's environment.
  process.env.KARTSTREAM_HOME = home;
  let moto: MotoServer | undefined;
  let app: ServedApp | undefined;
  try {
    moto = await startMoto();
    app = await startServe({ home, env: moto.env });
    const browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    return { lab, home, moto, app, browser, context, page, pageErrors, kubeconfig: '', stopped: false };
  } catch (error) {
    await app?.stop();
    await moto?.stop();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
};

/** Closes Chromium and stops serve and moto; returns what serve left running. */
export const closeSession = async (s: E2eSession): Promise<Awaited<ReturnType<ServedApp['stop']>>> => {
  s.stopped = true;
  await s.browser.close().catch(() => undefined);
  const serve = await s.app.stop();
  await s.moto.stop();
  return serve;
};

/** The CLI's `down`, for a lab the tests could not remove from the page. */
export const downWithCli = async (s: E2eSession): Promise<void> => {
  await cli(['down', '--name', s.lab]);
};

export const removeHome = (s: E2eSession): void => rmSync(s.home, { recursive: true, force: true });
