// @ts-check
// The desktop shell, all of it: start the core server (`kartstream serve`, see
// server-process.js), then one locked-down window on the URL it prints. The page talks to the
// server over loopback HTTP/WS exactly as in a browser; the preload adds only native dialogs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, session, shell } from 'electron';
import { CHANNELS, openDialogOptions, saveDialogOptions } from './bridge.js';
import { errorText, startServer } from './server-process.js';
import {
  contentSecurityPolicy,
  externalUrl,
  isAllowedNavigation,
  permissionAllowed,
  windowOptions,
  withContentSecurityPolicy,
} from './window-options.js';

/** @typedef {import('./server-process.js').RunningServer} RunningServer */

const APP_ROOT = join(import.meta.dirname, '..');

// KARTSTREAM_HOME, when set, holds all of KartStream's state (tests set it); Electron's profile
// follows it, which also gives each home its own single-instance lock.
if (process.env.KARTSTREAM_HOME) app.setPath('userData', join(process.env.KARTSTREAM_HOME, 'desktop'));

/** @type {BrowserWindow | undefined} */
let window;
/** Stops the core server once it runs. */
let stopServer = () => {};
let quitting = false;

/**
 * Every web contents (the window's, any other) may navigate only within the app, and opens no
 * windows: a link meant for a new window goes to the OS browser when it is http(s).
 * @param {RunningServer} server
 */
const lockDownNavigation = (server) =>
  app.on('web-contents-created', (_event, contents) => {
    /** @param {{ url: string, preventDefault(): void }} event */
    const guard = (event) => {
      if (!isAllowedNavigation(event.url, server.url)) event.preventDefault();
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.setWindowOpenHandler(({ url }) => {
      const target = externalUrl(url, server.url);
      if (target) void shell.openExternal(target);
      return { action: 'deny' };
    });
  });

/**
 * The preload's requests: the server address (only to our window), and the two dialogs (only
 * from a frame showing the app).
 * @param {RunningServer} server
 */
const serveBridge = (server) => {
  /** @param {import('electron').IpcMainEvent} event */
  const fromApp = (event) => {
    if (!window || !event.senderFrame || !isAllowedNavigation(event.senderFrame.url, server.url))
      throw new Error('refused: the request does not come from the KartStream window');
    return window;
  };
  ipcMain.on(CHANNELS.server, (event) => {
    event.returnValue =
      window && event.sender === window.webContents ? { serverUrl: server.url, token: server.token } : null;
  });
  ipcMain.handle(CHANNELS.openFile, async (event, kind) => {
    const result = await dialog.showOpenDialog(fromApp(event), openDialogOptions(kind));
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  ipcMain.handle(CHANNELS.saveFile, async (event, defaultName, text) => {
    const options = saveDialogOptions(defaultName, text, app.getPath('documents'));
    const result = await dialog.showSaveDialog(fromApp(event), options);
    if (result.canceled || !result.filePath) return null;
    await writeFile(result.filePath, /** @type {string} */ (text), 'utf8');
    return result.filePath;
  });
};

/** @param {RunningServer} server */
const openWindow = async (server) => {
  const policy = contentSecurityPolicy(server.origin);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: details.url.startsWith(`${server.origin}/`)
        ? withContentSecurityPolicy(details.responseHeaders, policy)
        : details.responseHeaders,
    }),
  );
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl, server.url)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin, server.url),
  );
  // The default menus only, for copy and paste (also in the terminal) and window keys.
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: /** @type {const} */ ('appMenu') }] : []),
      { role: 'editMenu' },
      { role: 'windowMenu' },
    ]),
  );
  lockDownNavigation(server);
  serveBridge(server);

  const preloadPath = join(import.meta.dirname, 'preload.cjs');
  const win = new BrowserWindow(windowOptions({ preloadPath, dark: nativeTheme.shouldUseDarkColors }));
  window = win;
  win.once('ready-to-show', () => win.show());
  await win.loadURL(server.url);
};

const run = async () => {
  // Started before Electron is ready: the server's start-up overlaps the app's.
  const started = await startServer({
    execPath: process.execPath,
    appRoot: APP_ROOT,
    // A packaged app has no Vite to build the UI: it ships renderer/dist, built by `npm run package`.
    ...(app.isPackaged ? { rendererDir: join(APP_ROOT, 'renderer', 'dist') } : {}),
    onLog: (text) => process.stderr.write(text),
  });
  stopServer = started.stop;
  started.child.on('exit', () => {
    if (quitting) return;
    dialog.showErrorBox('The KartStream server stopped', started.stderrTail() || 'It left no error output.');
    app.quit();
  });
  await app.whenReady();
  await openWindow(started);
};

if (!app.requestSingleInstanceLock()) {
  // Another KartStream window is open: it is focused (below, in that process); this one ends.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    quitting = true;
    stopServer();
  });
  run().catch((error) => {
    quitting = true;
    stopServer();
    dialog.showErrorBox('KartStream could not start', errorText(error));
    app.exit(1);
  });
}
