// Which proxy a request goes through: HTTPS_PROXY / HTTP_PROXY (or their lower-case forms) by
// the URL's scheme, unless NO_PROXY names its host. Loopback hosts are never proxied (as in Go's
// net/http), so a local mirror keeps working behind a corporate proxy.

const read = (env: NodeJS.ProcessEnv, name: string): string | undefined =>
  env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

// True if a NO_PROXY list ("example.com,.corp,10.0.0.1:8080,*") covers this host and port.
export const bypassesProxy = (url: URL, noProxy: string | undefined): boolean => {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK.test(host)) return true;
  if (!noProxy) return false;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry.length > 0)
    .some((raw) => {
      if (raw === '*') return true;
      const match = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase());
      const entryHost = (match?.[1] ?? '').replace(/^\*?\./, '.').replace(/^\[|\]$/g, '');
      if (match?.[2] && match[2] !== port) return false;
      if (entryHost.startsWith('.')) return host.endsWith(entryHost) || host === entryHost.slice(1);
      return host === entryHost || host.endsWith(`.${entryHost}`);
    });
};

/** The proxy URL to use for `url`, or undefined to connect directly. */
export const proxyFor = (url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined => {
  const value =
    url.protocol === 'https:'
      ? (read(env, 'HTTPS_PROXY') ?? read(env, 'ALL_PROXY'))
      : (read(env, 'HTTP_PROXY') ?? read(env, 'ALL_PROXY'));
  if (!value || bypassesProxy(url, read(env, 'NO_PROXY'))) return undefined;
  try {
    return new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    return undefined;
  }
};
