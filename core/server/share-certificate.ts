// The share listener's TLS certificate: self-signed, made per lab, for the address it serves.
// Its private key stays in the lab's state (0600); participants pin its SHA-256 fingerprint,
// which `serve --share` prints and the Share panel shows. Kept across restarts while it still
// names the address and has more than a day left, so a fingerprint people checked stays good.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import selfsigned from 'selfsigned';
import { shareCertFile, shareKeyFile } from '../home/paths.ts';
import { writePrivateFile } from '../home/private-files.ts';

export interface ShareCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by ":". */
  fingerprint: string;
}

const VALID_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

const usable = (cert: X509Certificate, address: string, now: number): boolean =>
  cert.checkIP(address) !== undefined && new Date(cert.validTo).getTime() - now > DAY_MS;

const existing = async (lab: string, address: string, now: number): Promise<ShareCertificate | undefined> => {
  try {
    const [key, cert] = await Promise.all([
      readFile(shareKeyFile(lab), 'utf8'),
      readFile(shareCertFile(lab), 'utf8'),
    ]);
    const parsed = new X509Certificate(cert);
    if (!usable(parsed, address, now) || !parsed.checkPrivateKey(createPrivateKey(key))) return undefined;
    return { key, cert, fingerprint: parsed.fingerprint256 };
  } catch {
    return undefined;
  }
};

/** The lab's certificate for `address` (an IP), made (P-256, SHA-256) when there is none that fits. */
export const ensureShareCertificate = async (lab: string, address: string): Promise<ShareCertificate> => {
  const now = Date.now();
  const kept = await existing(lab, address, now);
  if (kept) return kept;
  const made = await selfsigned.generate([{ name: 'commonName', value: `KartStream lab ${lab}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + VALID_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: address }] },
    ],
  });
  await writePrivateFile(shareKeyFile(lab), made.private);
  await writePrivateFile(shareCertFile(lab), made.cert);
  return { key: made.private, cert: made.cert, fingerprint: new X509Certificate(made.cert).fingerprint256 };
};
