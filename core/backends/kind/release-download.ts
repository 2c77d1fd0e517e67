// Without Go: kind's release binary for this OS and architecture, checked against the sha256 the
// release publishes beside it (`<asset>.sha256sum`), or against KARTSTREAM_KIND_SHA256 when set.
// KartStream's own machines have no internet; the tests run this against a loopback server.
import { createHash } from 'node:crypto';
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
export const parseSha256Sum = (text: string, asset: string): string | undefined => {
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (match && (match[2] === asset || match[2]?.endsWith(`/${asset}`))) return match[1];
  }
  return undefined;
};

const fetchBytes = async (url: string, signal?: AbortSignal): Promise<Buffer> => {
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (cause) {
    throw new KartStreamError('install-failed', `failed to download ${url}`, {
      cause,
      details: [String((cause as Error).cause ?? (cause as Error).message)],
      fix: 'check the internet connection, or install Go and run npx kartstream kind install again',
    });
  }
  if (!response.ok)
    throw new KartStreamError('install-failed', `failed to download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
};

/** Downloads kind's release binary and returns its bytes once its sha256 checks out. */
export const downloadKindRelease = async (
  options: { base?: string; asset?: string; expectedSha256?: string; signal?: AbortSignal } = {},
): Promise<{ bytes: Buffer; sha256: string; url: string }> => {
  const base = options.base ?? process.env.KARTSTREAM_KIND_RELEASE_BASE ?? KIND_RELEASE_BASE;
  const asset = options.asset ?? kindAssetName();
  const url = `${base}/${asset}`;
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
