// Without Go: kind's release binary for this OS and architecture, checked against the sha256 the
// release publishes beside it (`<asset>.sha256sum`), or against KARTSTREAM_KIND_SHA256 when set.
// Fetched with the shared downloader (proxy, redirects, retries); KartStream's own machines have
// no internet, so the tests run this against a loopback server.
import { createHash } from 'node:crypto';
import { parseSha256Sum } from '../../download/checksums.ts';
import { fetchBuffer } from '../../download/fetch-text.ts';
import { mirroredUrl } from '../../download/mirror.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { KIND_VERSION } from './pins.ts';

export const KIND_RELEASE_BASE = `https://github.com/kubernetes-sigs/kind/releases/download/${KIND_VERSION}`;

/** kind's release asset name, e.g. kind-linux-amd64 or kind-darwin-arm64. */
export const kindAssetName = (platform: string = process.platform, arch: string = process.arch): string => {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[platform];
  const cpu = { x64: 'amd64', arm64: 'arm64' }[arch];
  if (!os || !cpu)
    throw new KartStreamError('backend-unavailable', `kind publishes no binary for ${platform}/${arch}`, {
      fix: 'install Go and run npx kartstream kind install (it builds kind from source)',
    });
  return `kind-${os}-${cpu}`;
};

/** The hex sha256 in a sha256sum line ("<hex>  kind-linux-amd64"), checked to name `asset`. */
export { parseSha256Sum };

const fetchBytes = (url: string, signal?: AbortSignal): Promise<Buffer> => fetchBuffer(url, { signal });

/** Downloads kind's release binary and returns its bytes once its sha256 checks out. */
export const downloadKindRelease = async (
  options: { base?: string; asset?: string; expectedSha256?: string; signal?: AbortSignal } = {},
): Promise<{ bytes: Buffer; sha256: string; url: string }> => {
  const base = options.base ?? process.env.KARTSTREAM_KIND_RELEASE_BASE ?? KIND_RELEASE_BASE;
  const asset = options.asset ?? kindAssetName();
  // The origin's URL goes through KARTSTREAM_RELEASE_MIRROR when set; an explicit base does not.
  const url = base === KIND_RELEASE_BASE ? mirroredUrl(`${base}/${asset}`) : `${base}/${asset}`;
  const pinned = options.expectedSha256 ?? process.env.KARTSTREAM_KIND_SHA256;
  const expected =
    pinned ?? parseSha256Sum((await fetchBytes(`${url}.sha256sum`, options.signal)).toString('utf8'), asset);
  if (!expected) throw new KartStreamError('install-failed', `${url}.sha256sum holds no sha256 for ${asset}`);
  const bytes = await fetchBytes(url, options.signal);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== expected.toLowerCase())
    throw new KartStreamError('install-failed', `the download of ${url} does not match its sha256`, {
      details: [`expected ${expected}`, `got      ${sha256}`],
      fix: 'nothing was installed; try again later, or install Go and run npx kartstream kind install',
    });
  return { bytes, sha256, url };
};
