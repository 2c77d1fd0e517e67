// One HTTP(S) GET: through the proxy the environment names (CONNECT tunnel for https, absolute
// URI for http), following redirects (GitHub release assets and dl.k8s.io both redirect), with a
// timeout on connecting and on silence. Node 20's fetch honours no proxy variables, hence node:http.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { proxyFor } from './proxy.ts';

export interface HttpGetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds without a byte (connecting, waiting for headers, or reading) before giving up. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** A failure to talk to a server at all (as opposed to an HTTP status): timeouts, resets, DNS. */
export class NetworkError extends Error {
  constructor(
    readonly url: string,
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

export const timeoutError = (url: string, ms: number): NetworkError =>
  new NetworkError(url, `timed out: no data from ${url} for ${Math.round(ms / 1000)} s`, 'ETIMEDOUT');

const proxyAuth = (proxy: URL): Record<string, string> =>
  proxy.username
    ? {
        'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`,
      }
    : {};

// Opens a CONNECT tunnel to host:port through an HTTP proxy.
const tunnel = (proxy: URL, host: string, port: string, options: HttpGetOptions): Promise<Duplex> =>
  new Promise((resolve, reject) => {
    const target = `${host}:${port}`;
    const req = httpRequest({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...proxyAuth(proxy) },
      signal: options.signal,
    });
    req.setTimeout(options.timeoutMs, () =>
      req.destroy(timeoutError(`proxy ${proxy.host}`, options.timeoutMs)),
    );
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(
          new NetworkError(target, `proxy ${proxy.host} refused CONNECT ${target}: HTTP ${res.statusCode}`),
        );
      }
    });
    req.once('error', reject);
    req.end();
  });

// One request, no redirects.
const getOnce = async (url: URL, options: HttpGetOptions): Promise<IncomingMessage> => {
  const proxy = proxyFor(url, options.env);
  const https = url.protocol === 'https:';
  const base: RequestOptions = {
    method: 'GET',
    headers: { 'user-agent': 'kartstream', ...options.headers },
    signal: options.signal,
  };
  let req: ReturnType<typeof httpRequest>;
  if (proxy && https) {
    const socket = await tunnel(proxy, url.hostname, url.port || '443', options);
    req = httpsRequest(url, {
      ...base,
      createConnection: () => tlsConnect({ socket, servername: url.hostname }),
    });
  } else if (proxy) {
    req = httpRequest({
      ...base,
      host: proxy.hostname,
      port: proxy.port || 80,
      path: url.href,
      headers: { ...base.headers, host: url.host, ...proxyAuth(proxy) },
    });
  } else req = (https ? httpsRequest : httpRequest)(url, base);
  return new Promise((resolve, reject) => {
    // The socket's idle timer covers connecting, waiting for headers and reading the body.
    let response: IncomingMessage | undefined;
    req.setTimeout(options.timeoutMs, () => {
      const error = timeoutError(url.href, options.timeoutMs);
      if (response) response.destroy(error);
      else req.destroy(error);
    });
    req.once('response', (res) => {
      response = res;
      resolve(res);
    });
    req.once('error', reject);
    req.end();
  });
};

/** GETs `url`, following up to 5 redirects; returns the response and the URL that answered. */
export const httpGet = async (
  url: string,
  options: HttpGetOptions,
): Promise<{ response: IncomingMessage; url: string }> => {
  let current = new URL(url);
  for (let hop = 0; hop <= 5; hop += 1) {
    let response: IncomingMessage;
    try {
      response = await getOnce(current, options);
    } catch (cause) {
      if (cause instanceof NetworkError || options.signal?.aborted) throw cause;
      const code = (cause as NodeJS.ErrnoException).code;
      throw new NetworkError(current.href, `${current.href}: ${(cause as Error).message}`, code, { cause });
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      response.resume();
      current = new URL(location, current);
      continue;
    }
    return { response, url: current.href };
  }
  throw new NetworkError(url, `too many redirects from ${url}`);
};
