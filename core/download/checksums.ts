// The checksum files release pages publish: a bare hex digest (dl.k8s.io's `<name>.sha256`), or
// sha256sum lines `<hex>  <file>` (etcd's SHA256SUMS, kind's `<asset>.sha256sum`).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The sha256 for `file` in a checksum file's text, or undefined if it names no such file. */
export const parseSha256Sum = (text: string, file: string): string | undefined => {
  const lines = text.split('\n').map((l) => l.trim());
  // A file that holds only a digest (dl.k8s.io) is about the one file it sits beside.
  const bare = lines.filter((l) => l.length > 0);
  if (bare.length === 1 && /^[0-9a-fA-F]{64}$/.test(bare[0] ?? '')) return bare[0]?.toLowerCase();
  for (const line of lines) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S+)$/.exec(line);
    if (match && (match[2] === file || match[2]?.endsWith(`/${file}`))) return match[1]?.toLowerCase();
  }
  return undefined;
};

/** The hex sha256 of a file on disk. */
export const sha256File = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};
