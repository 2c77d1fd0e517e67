// A release mirror for tests: a tree laid out like KARTSTREAM_RELEASE_MIRROR expects
// (`<root>/<host>/<path>`, the origins' own file names and checksum files: dl.k8s.io's bare-hex
// `<name>.sha256`, etcd's SHA256SUMS with `<hex>  <file>` lines), built from given binaries, and a
// loopback HTTP server for it that can tamper with a file, cut a connection half-way, or answer 5xx.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isOptionalBinary, SIM_BINARY_NAMES, type SimBinaryName } from '../../core/backends/sim/binaries.ts';
import { KWOK_SHA256_ENV, releaseArtifact, simPlatform } from '../../core/backends/sim/release-artifacts.ts';

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

const treePath = (root: string, url: string) => {
  const u = new URL(url);
  return join(root, u.host, u.pathname);
};

/**
 * Lays out the release files for `sources` (binary name → file) under `root`. Big files are
 * symlinked, not copied. An optional binary without releases (metrics-server) is left out, as
 * upstream has none. Returns the env that gives kwok's digests (kwok publishes no checksum file).
 */
export const buildMirrorTree = async (
  root: string,
  sources: Partial<Record<SimBinaryName, string>> & Record<Exclude<SimBinaryName, 'metrics-server'>, string>,
): Promise<Record<string, string>> => {
  const platform = simPlatform();
  const env: Record<string, string> = {};
  const sums = new Map<string, string[]>();
  for (const name of SIM_BINARY_NAMES) {
    const source = sources[name];
    const envName = KWOK_SHA256_ENV[name];
    if (envName && source) env[envName] = await sha256(source);
    const lookup = releaseArtifact(name, platform, { ...process.env, ...env });
    if (!lookup.ok && isOptionalBinary(name)) continue;
    if (!lookup.ok) throw new Error(`no release for ${name} here: ${lookup.reason}`);
    if (!source) throw new Error(`no file given for ${name}`);
    const { artifact } = lookup;
    const dest = treePath(root, artifact.url);
    await mkdir(dirname(dest), { recursive: true });
    const member = artifact.members?.[name];
    if (member) {
      // etcd: a release-like archive holding <dir>/etcd.
      const stage = await mkdtemp(join(tmpdir(), 'kartstream-etcd-archive-'));
      await mkdir(join(stage, dirname(member)), { recursive: true });
      await copyFile(source, join(stage, member));
      await execa('tar', ['-czf', dest, '-C', stage, dirname(member)]);
      await rm(stage, { recursive: true, force: true });
    } else await symlink(source, dest);
    const digest = await sha256(dest);
    if (artifact.checksum.type === 'file') {
      const sumsPath = treePath(root, artifact.checksum.url);
      if (sumsPath.endsWith('.sha256')) await writeFile(sumsPath, `${digest}\n`);
      else sums.set(sumsPath, [...(sums.get(sumsPath) ?? []), `${digest}  ${artifact.checksum.file}`]);
    }
  }
  for (const [path, lines] of sums) await writeFile(path, `${lines.join('\n')}\n`);
  return env;
};

export interface MirrorServer {
  url: string;
  /** Every request: path and Range header. */
  requests: { path: string; range?: string }[];
  /** Paths (under the root, e.g. `/dl.k8s.io/...`) served with one byte changed. */
  tamper: Set<string>;
  /**
   * Paths whose first full request is cut after about half the bytes. The client keeps what it has
   * read before the close; Node's HTTP client holds up to ~80 KB unread, so a file whose half is
   * smaller can come back with nothing to resume from.
   */
  cut: Set<string>;
  /** Paths answered with 503 this many more times. */
  fail: Map<string, number>;
  /** Paths whose full requests send about half the bytes, then hang until the client goes. */
  stall: Set<string>;
  close(): Promise<void>;
}

const serveFile = async (
  file: string,
  req: IncomingMessage,
  res: ServerResponse,
  tampered: boolean,
  cut: boolean,
  stall = false,
) => {
  const size = (await stat(file)).size;
  const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
  if (start >= size && size > 0) {
    res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    return;
  }
  res.writeHead(start > 0 ? 206 : 200, {
    'content-length': size - start,
    ...(start > 0 ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
  });
  if (tampered) {
    const bytes = await readFile(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    res.end(bytes.subarray(start));
    return;
  }
  const end = cut || stall ? Math.floor(size / 2) : size - 1;
  const stream = createReadStream(file, { start, end });
  // A clean close (FIN) once the half is handed to the socket: the client reads every byte sent.
  // A reset would let the kernel drop what the client had not read yet, so under load the cut
  // could come before any byte and the retry could not resume.
  if (cut) stream.on('end', () => res.socket?.end());
  stream.pipe(res, { end: !cut && !stall });
};

/** Serves `root` on 127.0.0.1 (random port) with Range support and the fault switches above. */
export const startMirrorServer = async (root: string): Promise<MirrorServer> => {
  const mirror = {
    requests: [],
    tamper: new Set(),
    cut: new Set(),
    fail: new Map(),
    stall: new Set(),
  } as unknown as MirrorServer;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    mirror.requests.push({ path, range: req.headers.range });
    const failing = mirror.fail.get(path) ?? 0;
    if (failing > 0) {
      mirror.fail.set(path, failing - 1);
      res.writeHead(503).end('busy');
      return;
    }
    const cut = mirror.cut.has(path) && !req.headers.range;
    if (cut) mirror.cut.delete(path);
    const stall = mirror.stall.has(path) && !req.headers.range;
    serveFile(join(root, path), req, res, mirror.tamper.has(path), cut, stall).catch(() => {
      if (!res.headersSent) res.writeHead(404).end('not found');
      else res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mirror.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mirror.close = () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return mirror;
};

/** The path on the mirror of an origin URL (what the server logs). */
export const mirrorPath = (url: string): string => {
  const u = new URL(url);
  return `/${u.host}${u.pathname}`;
};
