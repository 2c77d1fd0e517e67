// `kartstream serve`: the core server for the UI in a browser (and, with the hidden --desktop,
// for the Electron shell). stdout gets exactly one line, `KartStream UI: <url>`, which the shell
// and the e2e tests read; with --share two more follow, `KartStream share: <origin> (lab L)` and
// `Certificate SHA-256: <fingerprint>` (docs/sharing.md). Everything else goes to stderr and
// never carries a token.
import { Option, type Command } from 'commander';
import { execa } from 'execa';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { wholeNumberOption } from './number-option.ts';
import type { Output } from './output.ts';

export interface ServeOptions {
  name?: string;
  port?: string;
  open?: boolean;
  desktop?: boolean;
  share?: boolean;
  address?: string;
  sharePort?: string;
}

/** How to open a URL in the system browser here, or why it cannot be done. */
const browserOpener = (): { command: string; args: string[] } | { why: string } => {
  if (process.platform === 'darwin') return { command: 'open', args: [] };
  // `start` is a cmd built-in; its first quoted argument is a window title.
  if (process.platform === 'win32') return { command: 'cmd', args: ['/d', '/c', 'start', '""'] };
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { why: 'there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  return { command: 'xdg-open', args: [] };
};

// Messages name the opener and never the URL: stderr must not carry the token.
const openBrowser = async (url: string, out: Output): Promise<void> => {
  const opener = browserOpener();
  if ('why' in opener) {
    out.info(`not opening a browser: ${opener.why}; open the URL above in one`);
    return;
  }
  const child = execa(opener.command, [...opener.args, url], {
    stdio: 'ignore',
    detached: true,
    reject: false,
    windowsVerbatimArguments: process.platform === 'win32',
  });
  child.unref();
  // xdg-open may wait for the browser it started: a few seconds without failure is success.
  const result = await Promise.race([
    child,
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 3000).unref()),
  ]);
  if (result?.failed) {
    const what = result.exitCode === undefined ? 'could not be run' : `exited with code ${result.exitCode}`;
    out.info(`could not open a browser (${opener.command} ${what}); open the URL above yourself`);
  } else out.info('opened the UI in your browser');
};

/** Resolves on the first SIGINT/SIGTERM/SIGHUP; a second one quits at once. */
const stopRequested = (out: Output): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      out.info(`${signal}: stopping (press Ctrl+C again to quit at once)`);
      resolve(signal);
    };
    // `on`, not `once`: execa's exit hook re-raises a signal that nobody else handles.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  });

const withDeadline = async (what: string, work: Promise<void>, ms: number, out: Output): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      out.info(`${what} did not finish within ${ms / 1000} s; quitting anyway`);
      resolve();
    }, ms);
  });
  await Promise.race([work.catch((error: unknown) => out.info(`${what} failed: ${String(error)}`)), late]);
  clearTimeout(timer);
};

/** A port flag: 0 (a free port) when left out. */
const portOption = (flag: string, value: string | undefined, fix: string): number =>
  value === undefined
    ? 0
    : wholeNumberOption(flag, value, { min: 0, max: 65535, what: 'a port number', fix });

export const serve = async (opts: ServeOptions, out: Output): Promise<void> => {
  const defaultLab = opts.name === undefined ? DEFAULT_LAB_NAME : checkLabName(opts.name);
  const port = portOption(
    '--port',
    opts.port,
    'use --port 8080, or leave it out (or --port 0) to get a free port',
  );
  if (!opts.share && (opts.address !== undefined || opts.sharePort !== undefined))
    throw new KartStreamError('invalid-input', '--address and --share-port only apply with --share', {
      fix: 'add --share to share the lab, or leave them out',
    });
  const sharePort = portOption(
    '--share-port',
    opts.sharePort,
    'use --share-port 8443, or leave it out to get a free port',
  );
  // The engine is loaded when the command runs, so `--help` stays fast.
  const { limitHeapGrowth } = await import('../server/heap-growth.ts');
  limitHeapGrowth();
  const { ensureRendererBuilt } = await import('../server/renderer-assets.ts');
  const { createServices } = await import('../server/services/index.ts');
  const { startCoreServer } = await import('../server/http-server.ts');
  const rendererDir = await ensureRendererBuilt((line) => out.info(line));
  const created = createServices({ defaultLab, desktop: opts.desktop === true });
  const server = await startCoreServer({
    services: created.services,
    port,
    rendererDir,
    log: (line) => out.info(line),
  }).catch(async (error: unknown) => {
    await created.close();
    throw error;
  });
  out.print(`KartStream UI: ${server.url}`);
  out.info(`serving on 127.0.0.1:${server.port} (lab ${defaultLab}); press Ctrl+C to stop`);
  const { recoverInterruptedRuns } = await import('../server/recover-runs.ts');
  void recoverInterruptedRuns((line) => out.info(line)).catch((error: unknown) =>
    out.info(`checking for interrupted runs failed: ${String(error)}`),
  );
  if (opts.share) {
    const { checkShareAddress, defaultShareAddress } = await import('../server/share-guard.ts');
    const address = opts.address === undefined ? defaultShareAddress() : checkShareAddress(opts.address);
    const share = await server
      .startSharing({ lab: defaultLab, address, port: sharePort })
      .catch(async (error: unknown) => {
        await server.close();
        await created.close();
        throw error;
      });
    out.print(`KartStream share: ${share.origin} (lab ${defaultLab})`);
    out.print(`Certificate SHA-256: ${share.fingerprint}`);
    out.info(
      `sharing lab ${defaultLab} on ${share.origin}: invite people with \`kartstream invite --name ${defaultLab} --role ROLE --person NAME\`; they check the certificate's SHA-256 against the line above`,
    );
  }
  const stop = stopRequested(out);
  if (opts.open) await openBrowser(server.url, out);
  await stop;
  // Tasks are canceled, watch stores stopped and terminals killed; a stuck one cannot hold us.
  await withDeadline('closing the server', server.close(), 5000, out);
  await withDeadline('stopping running tasks', created.close(), 15_000, out);
  out.info('stopped');
  // Anything still holding the event loop after a clean close is not worth waiting for.
  setTimeout(() => process.exit(), 2000).unref();
};

export const addServeCommand = (program: Command, out: Output): void => {
  program
    .command('serve')
    .description('serve the KartStream UI on 127.0.0.1 and print its URL (with a per-launch token)')
    .option('--name <lab>', 'the lab the UI opens first', DEFAULT_LAB_NAME)
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--open', 'open the UI in the system browser')
    .option('--share', 'also serve the lab over HTTPS on a network address, to people you invite')
    .option('--address <ip>', 'with --share: the address to share on (default: the first non-loopback one)')
    .option('--share-port <n>', 'with --share: the port to share on (default: a free one)')
    .addOption(new Option('--desktop', 'started by the desktop shell').hideHelp())
    .action((opts: ServeOptions) => serve(opts, out));
};
