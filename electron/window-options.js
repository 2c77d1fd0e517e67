// @ts-check
// What the desktop window may do, as pure functions main.js applies: the window's options (the
// settings of Electron's security checklist), the Content-Security-Policy put on the core
// server's pages, and which URLs the window may navigate to or hand to the OS browser.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** The page's --bg in light and dark (renderer/src/styles.css), so the window never flashes. */
const BACKGROUND = { light: '#f6f8fa', dark: '#0d1117' };

/**
 * The origin of a core server, checked: plain http on a loopback host with an explicit port.
 * @param {string} serverOrigin e.g. `http://127.0.0.1:43117`
 */
const loopbackOrigin = (serverOrigin) => {
  const url = new URL(serverOrigin);
  if (
    url.protocol !== 'http:' ||
    !LOOPBACK_HOSTS.has(url.hostname) ||
    !url.port ||
    url.origin !== serverOrigin
  )
    throw new Error(`not a loopback server origin: ${JSON.stringify(serverOrigin)}`);
  return url;
};

/**
 * Options of the one BrowserWindow: isolated, sandboxed, no Node in the page, hidden until its
 * first paint (`ready-to-show`).
 * @param {{ preloadPath: string, dark: boolean }} options
 */
export const windowOptions = ({ preloadPath, dark }) => ({
  title: 'KartStream',
  width: 1360,
  height: 860,
  minWidth: 960,
  minHeight: 600,
  show: false,
  backgroundColor: dark ? BACKGROUND.dark : BACKGROUND.light,
  webPreferences: {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  },
});

/**
 * The page may load and connect to itself and the core server only (HTTP for the API, its
 * WebSocket for subscriptions and the terminal); no eval, no plugins, no framing, no forms.
 * Inline styles stay allowed: React and uPlot set `style` attributes.
 * @param {string} serverOrigin
 */
export const contentSecurityPolicy = (serverOrigin) => {
  const { origin, host } = loopbackOrigin(serverOrigin);
  return [
    `default-src 'self' ${origin}`,
    `connect-src 'self' ${origin} ws://${host}`,
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
};

/**
 * Response headers with our policy added. A policy the server sent itself stays: a page obeys
 * every policy it receives, so the result is at least as strict as either.
 * @param {Record<string, string[]> | undefined} headers
 * @param {string} policy
 * @returns {Record<string, string[]>}
 */
export const withContentSecurityPolicy = (headers, policy) => {
  const result = { ...headers };
  const name = Object.keys(result).find((key) => key.toLowerCase() === 'content-security-policy');
  if (name) result[name] = [...(result[name] ?? []), policy];
  else result['Content-Security-Policy'] = [policy];
  return result;
};

/**
 * @param {string} text
 * @returns {URL | undefined}
 */
const parse = (text) => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

/**
 * The window may show only the app itself: the server's origin under its token path
 * (`http://127.0.0.1:PORT/t/<token>/...`). Any other origin, path or scheme is refused.
 * @param {string} url where the page wants to go
 * @param {string} appUrl the URL the server printed
 */
export const isAllowedNavigation = (url, appUrl) => {
  const target = parse(url);
  const app = new URL(appUrl);
  return (
    target !== undefined &&
    target.protocol === 'http:' &&
    target.origin === app.origin &&
    target.username === '' &&
    target.pathname.startsWith(app.pathname)
  );
};

/**
 * The URL to open in the OS browser for a link the page wanted in a new window, or undefined:
 * https anywhere, http only on loopback (a lab's Grafana or shop). Never the core server itself
 * (its URLs carry the token), never another scheme (file:, smb:, custom protocols).
 * @param {string} url
 * @param {string} appUrl
 */
export const externalUrl = (url, appUrl) => {
  const target = parse(url);
  if (!target || target.origin === new URL(appUrl).origin) return undefined;
  if (target.protocol === 'https:') return target.href;
  if (target.protocol === 'http:' && LOOPBACK_HOSTS.has(target.hostname)) return target.href;
  return undefined;
};

/** The one permission the app uses: the terminal copies its selection with navigator.clipboard. */
const GRANTED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/**
 * Whether a permission request (or check) is granted: only clipboard writing, and only to the
 * app itself. Camera, microphone, notifications, geolocation, clipboard reading... are denied;
 * paste reaches the terminal through the paste event, which needs no permission.
 * @param {string} permission
 * @param {string} requestingUrl the requesting page's URL or origin
 * @param {string} appUrl
 */
export const permissionAllowed = (permission, requestingUrl, appUrl) =>
  GRANTED_PERMISSIONS.has(permission) && parse(requestingUrl)?.origin === new URL(appUrl).origin;
