// The shared downloader (core/download) against a loopback HTTP server: resume with Range after a
// cut connection, retries on 5xx, a clear 404, a digest mismatch that removes the file, a timeout
// naming the URL, redirects, and the proxy / mirror / checksum-file rules.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSha256Sum } from '../../../core/download/checksums.ts';
import { downloadFile } from '../../../core/download/download-file.ts';
import { fetchText } from '../../../core/download/fetch-text.ts';
import { mirroredUrl } from '../../../core/download/mirror.ts';
import { describeProgress, formatBytes, type DownloadProgress } from '../../../core/download/progress.ts';
import { bypassesProxy, proxyFor } from '../../../core/download/proxy.ts';
import type { KartStreamError } from '../../../core/errors/kartstream-error.ts';

const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
const sha = createHash('sha256').update(body).digest('hex');
const seen: { url: string; range?: string; method?: string }[] = [];
let flakyLeft = 0;
let cutOnce = true;

// Serves `body`, honouring "Range: bytes=N-".
const serveBody = (req: IncomingMessage, res: ServerResponse) => {
  const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
  if (start >= body.length) {
    res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    return;
  }
  const part = body.subarray(start);
  res.writeHead(start > 0 ? 206 : 200, {
    'content-length': part.length,
    ...(start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
  });
  res.end(part);
};

const handler = (req: IncomingMessage, res: ServerResponse) => {
  const url = req.url ?? '';
  seen.push({ url, range: req.headers.range, method: req.method });
  const path = url.startsWith('http://') ? new URL(url).pathname : url;
  if (path === '/ok/file' || path === '/proxied/file') serveBody(req, res);
  else if (path === '/ok/file.sha256') res.end(`${sha}\n`);
  else if (path === '/redirect/file') res.writeHead(302, { location: '/ok/file' }).end();
  else if (path === '/flaky/file') {
    if (flakyLeft-- > 0) res.writeHead(503).end('busy');
    else serveBody(req, res);
  } else if (path === '/cut/file') {
    if (cutOnce && !req.headers.range) {
      cutOnce = false;
      res.writeHead(200, { 'content-length': body.length });
      // A clean close after 150 of 200 KB: the client keeps all but what its HTTP parser holds
      // unread (under ~80 KB). A reset instead could let the kernel drop every unread byte.
      res.write(body.subarray(0, 150_000), () => res.socket?.end());
    } else serveBody(req, res);
  } else if (path === '/stall/file') res.writeHead(200, { 'content-length': body.length }).write('x');
  else res.writeHead(404).end('not found');
};

let server: Server;
let base: string;
let dir: string;
beforeAll(async () => {
  server = createServer(handler);
  server.on('connect', (req, socket) => {
    seen.push({ url: req.url ?? '', method: 'CONNECT' });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'kartstream-dl-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
});

const fast = { backoffMs: 10, timeoutMs: 2000 };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as KartStreamError,
  );

describe('downloadFile', { timeout: 20_000 }, () => {
  it('downloads, checks the sha256, reports progress and renames into place', async () => {
    const dest = join(dir, 'ok');
    const events: DownloadProgress[] = [];
    const file = await downloadFile({
      url: `${base}/ok/file`,
      dest,
      sha256: sha,
      onProgress: (p) => events.push(p),
      ...fast,
    });
    expect(file).toMatchObject({ sha256: sha, bytes: body.length, resumed: false });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(events.at(-1)).toMatchObject({ received: body.length, total: body.length });
  });

  it('follows redirects', async () => {
    const file = await downloadFile({
      url: `${base}/redirect/file`,
      dest: join(dir, 'redirected'),
      sha256: sha,
      ...fast,
    });
    expect(file.sha256).toBe(sha);
    expect(seen.map((s) => s.url)).toEqual(['/redirect/file', '/ok/file']);
  });

  it('resumes a connection cut half-way with a Range request', async () => {
    const dest = join(dir, 'cut');
    const logs: string[] = [];
    const file = await downloadFile({
      url: `${base}/cut/file`,
      dest,
      sha256: sha,
      log: (l) => logs.push(l),
      ...fast,
    });
    expect(file.resumed).toBe(true);
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(seen[0]?.range).toBeUndefined();
    expect(seen[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/=(\d+)-/.exec(seen[1]?.range ?? '')?.[1])).toBeGreaterThan(0);
    expect(logs.join('\n')).toMatch(/retry 1 of .*\/cut\/file/);
    expect(logs.join('\n')).toMatch(/resuming .*\/cut\/file at/);
  });

  it('resumes a .part file left by an earlier run', async () => {
    const dest = join(dir, 'earlier');
    await writeFile(`${dest}.part`, body.subarray(0, 123_456));
    const file = await downloadFile({ url: `${base}/ok/file`, dest, sha256: sha, ...fast });
    expect(file.resumed).toBe(true);
    expect(seen[0]?.range).toBe('bytes=123456-');
    expect((await readFile(dest)).equals(body)).toBe(true);
  });

  it('retries 5xx answers with backoff, then succeeds', async () => {
    flakyLeft = 2;
    const logs: string[] = [];
    const file = await downloadFile({
      url: `${base}/flaky/file`,
      dest: join(dir, 'flaky'),
      sha256: sha,
      log: (l) => logs.push(l),
      ...fast,
    });
    expect(file.sha256).toBe(sha);
    expect(seen).toHaveLength(3);
    expect(logs.filter((l) => l.includes('HTTP 503'))).toHaveLength(2);
  });

  it('gives up on 5xx after the retries, naming the URL and the status', async () => {
    flakyLeft = 10;
    const error = await failure(
      downloadFile({ url: `${base}/flaky/file`, dest: join(dir, 'busy'), retries: 2, ...fast }),
    );
    expect(error?.message).toBe(`failed to download ${base}/flaky/file: HTTP 503`);
    expect(seen).toHaveLength(3);
    flakyLeft = 0;
  });

  it('a 404 is a clear error naming the URL, without retries', async () => {
    const error = await failure(downloadFile({ url: `${base}/gone/file`, dest: join(dir, 'gone'), ...fast }));
    expect(error?.code).toBe('install-failed');
    expect(error?.message).toBe(`failed to download ${base}/gone/file: HTTP 404`);
    expect(seen).toHaveLength(1);
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });

  it('refuses a file whose digest differs: names the file and both digests, and removes it', async () => {
    const dest = join(dir, 'kube-apiserver');
    const wrong = 'f'.repeat(64);
    const error = await failure(downloadFile({ url: `${base}/ok/file`, dest, sha256: wrong, ...fast }));
    expect(error?.message).toContain('kube-apiserver does not match its published sha256');
    expect(error?.details).toEqual([`url:      ${base}/ok/file`, `expected: ${wrong}`, `got:      ${sha}`]);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('times out a silent server with an error naming the URL', async () => {
    const error = await failure(
      downloadFile({ url: `${base}/stall/file`, dest: join(dir, 'stall'), timeoutMs: 300, retries: 0 }),
    );
    expect(error?.message).toBe(`failed to download ${base}/stall/file`);
    expect(error?.details.join('\n')).toMatch(/timed out: no data from .*\/stall\/file/);
  });

  it('a refused connection fails at once with the URL', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const error = await failure(
      downloadFile({ url: `http://127.0.0.1:${port}/x`, dest: join(dir, 'refused'), ...fast }),
    );
    expect(error?.message).toBe(`failed to download http://127.0.0.1:${port}/x`);
    expect(error?.details.join('\n')).toContain('ECONNREFUSED');
  });

  it('goes through HTTP_PROXY for an http URL (absolute-form request)', async () => {
    const env = { HTTP_PROXY: base };
    const file = await downloadFile({
      url: 'http://mirror.test/proxied/file',
      dest: join(dir, 'proxied'),
      sha256: sha,
      env,
      ...fast,
    });
    expect(file.sha256).toBe(sha);
    expect(seen[0]?.url).toBe('http://mirror.test/proxied/file');
  });

  it('tunnels an https URL through HTTPS_PROXY with CONNECT (and reports a refusal)', async () => {
    const env = { HTTPS_PROXY: base };
    const error = await failure(
      downloadFile({ url: 'https://mirror.test/x', dest: join(dir, 'tunnel'), env, ...fast }),
    );
    expect(seen[0]).toMatchObject({ method: 'CONNECT', url: 'mirror.test:443' });
    expect(error?.details.join('\n')).toContain('refused CONNECT mirror.test:443: HTTP 403');
  });
});

describe('fetchText', () => {
  it('reads a checksum file, and names the URL on a 404', async () => {
    expect(await fetchText(`${base}/ok/file.sha256`)).toBe(`${sha}\n`);
    await expect(fetchText(`${base}/nothing.sha256`)).rejects.toThrow(
      `failed to download ${base}/nothing.sha256: HTTP 404`,
    );
  });
});

describe('checksum files', () => {
  it('reads a bare digest (dl.k8s.io) and sha256sum lines (SHA256SUMS)', () => {
    expect(parseSha256Sum(`${sha}\n`, 'kubectl')).toBe(sha);
    const sums = `${'a'.repeat(64)}  etcd-v3.6.10-darwin-arm64.zip\n${sha}  etcd-v3.6.10-linux-amd64.tar.gz\n`;
    expect(parseSha256Sum(sums, 'etcd-v3.6.10-linux-amd64.tar.gz')).toBe(sha);
    expect(parseSha256Sum(sums, 'etcd-v3.6.10-linux-arm64.tar.gz')).toBeUndefined();
    expect(parseSha256Sum(`${sha.toUpperCase()} *kind-linux-amd64`, 'kind-linux-amd64')).toBe(sha);
    expect(parseSha256Sum('not a digest', 'x')).toBeUndefined();
  });
});

describe('mirrors and proxies', () => {
  it('maps https://<host>/<path> to <mirror>/<host>/<path>', () => {
    const url = 'https://dl.k8s.io/release/v1.36.3/bin/linux/amd64/kubectl.sha256';
    expect(mirroredUrl(url, {})).toBe(url);
    expect(mirroredUrl(url, { KARTSTREAM_RELEASE_MIRROR: 'http://10.0.0.5:8080/mirror/' })).toBe(
      'http://10.0.0.5:8080/mirror/dl.k8s.io/release/v1.36.3/bin/linux/amd64/kubectl.sha256',
    );
  });

  it('picks the proxy by scheme and honours NO_PROXY; never proxies loopback', () => {
    const env = {
      HTTPS_PROXY: 'http://proxy.corp:3128',
      http_proxy: 'proxy.corp:8080',
      NO_PROXY: '.internal,github.com,10.1.2.3:8443',
    };
    expect(proxyFor(new URL('https://dl.k8s.io/x'), env)?.href).toBe('http://proxy.corp:3128/');
    expect(proxyFor(new URL('http://example.org/x'), env)?.host).toBe('proxy.corp:8080');
    expect(proxyFor(new URL('https://github.com/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://objects.github.com/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://mirror.internal/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://10.1.2.3:8443/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://10.1.2.3/x'), env)).toBeDefined();
    expect(proxyFor(new URL('http://127.0.0.1:9000/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://dl.k8s.io/x'), {})).toBeUndefined();
    expect(bypassesProxy(new URL('https://anything.example/'), '*')).toBe(true);
  });
});

describe('progress text', () => {
  it('shows bytes, rate and time left', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(45_100_000)).toBe('45 MB');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(
      describeProgress({
        url: 'u',
        received: 45_100_000,
        total: 105_000_000,
        bytesPerSecond: 12_300_000,
        secondsLeft: 4.9,
      }),
    ).toBe('45 MB of 105 MB, 12 MB/s, 5 s left');
    expect(describeProgress({ url: 'u', received: 1000, bytesPerSecond: 0 })).toBe('1.0 kB, 0 B/s');
  });
});
