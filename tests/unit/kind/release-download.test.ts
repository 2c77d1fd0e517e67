// The no-Go path of `kind install`: the release binary for this OS and architecture, checked
// against the sha256 published beside it. Served here by a loopback HTTP server (these machines
// have no internet), so the download, the checksum file and the mismatch are all real HTTP.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  downloadKindRelease,
  KIND_RELEASE_BASE,
  kindAssetName,
  parseSha256Sum,
} from '../../../core/backends/kind/release-download.ts';

const binary = Buffer.from('#!/bin/sh\necho "kind v0.33.0 go1.26.8 linux/amd64"\n');
const sha = createHash('sha256').update(binary).digest('hex');
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/good/kind-linux-amd64') res.end(binary);
    else if (req.url === '/good/kind-linux-amd64.sha256sum') res.end(`${sha}  kind-linux-amd64\n`);
    else if (req.url === '/tampered/kind-linux-amd64') res.end(Buffer.concat([binary, Buffer.from('#')]));
    else if (req.url === '/tampered/kind-linux-amd64.sha256sum') res.end(`${sha}  kind-linux-amd64\n`);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('kind release download', () => {
  it('names kind’s release assets by OS and architecture', () => {
    expect(kindAssetName('linux', 'x64')).toBe('kind-linux-amd64');
    expect(kindAssetName('darwin', 'arm64')).toBe('kind-darwin-arm64');
    expect(kindAssetName('win32', 'x64')).toBe('kind-windows-amd64');
    expect(() => kindAssetName('linux', 'ia32')).toThrow(/no binary for linux\/ia32/);
    expect(KIND_RELEASE_BASE).toBe('https://github.com/kubernetes-sigs/kind/releases/download/v0.33.0');
  });

  it('reads a sha256sum line for the asset it names', () => {
    expect(parseSha256Sum(`${sha}  kind-linux-amd64\n`, 'kind-linux-amd64')).toBe(sha);
    expect(parseSha256Sum(`${sha}  kind-darwin-arm64\n`, 'kind-linux-amd64')).toBeUndefined();
  });

  it('downloads and checks against the published sha256', async () => {
    const result = await downloadKindRelease({ base: `${base}/good`, asset: 'kind-linux-amd64' });
    expect(result.sha256).toBe(sha);
    expect(result.bytes.equals(binary)).toBe(true);
  });

  it('refuses a download that does not match, and a pinned sha256 that does not either', async () => {
    await expect(
      downloadKindRelease({ base: `${base}/tampered`, asset: 'kind-linux-amd64' }),
    ).rejects.toThrow(/does not match its sha256/);
    await expect(
      downloadKindRelease({
        base: `${base}/good`,
        asset: 'kind-linux-amd64',
        expectedSha256: '0'.repeat(64),
      }),
    ).rejects.toThrow(/does not match/);
  });

  it('a missing release is a clear error with the URL', async () => {
    await expect(downloadKindRelease({ base: `${base}/gone`, asset: 'kind-linux-amd64' })).rejects.toThrow(
      /failed to download http:\/\/127\.0\.0\.1:\d+\/gone\/kind-linux-amd64\.sha256sum: HTTP 404/,
    );
  });
});
