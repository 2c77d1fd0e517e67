// The EKS bearer token: its format (prefix, unpadded base64url of an https STS URL), its query
// parameters (only those aws-iam-authenticator accepts), and its signature, recomputed here from
// the SigV4 specification with node:crypto, independently of the signer that made it.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEksToken, eksToken, EKS_TOKEN_PREFIX } from '../../../core/promote/eks-token.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const signingDate = new Date('2026-01-02T03:04:05Z');
const input = { cluster: 'kartstream', region: 'eu-west-1', credentials, signingDate };

const AUTHENTICATOR_PARAMS = new Set([
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
]);

const rfc3986 = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

// SigV4 for a presigned GET, from the specification.
const expectedSignature = (url: URL, cluster: string, secret: string): string => {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const query = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    'GET',
    '/',
    query,
    `host:${url.host}\nx-k8s-aws-id:${cluster}\n`,
    'host;x-k8s-aws-id',
    sha256(''),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const [, date, region, service] = (url.searchParams.get('X-Amz-Credential') ?? '').split('/');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secret}`, date ?? '');
  for (const part of [region ?? '', service ?? '', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
};

describe('eksToken', () => {
  it('is "k8s-aws-v1." and the unpadded base64url of an https URL to the regional STS', async () => {
    const { token, url } = await eksToken(input);
    expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    const body = token.slice(EKS_TOKEN_PREFIX.length);
    expect(body).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(body, 'base64url').toString()).toBe(url);
    expect(token.length).toBeLessThan(4096);
    const decoded = decodeEksToken(token);
    expect(decoded.protocol).toBe('https:');
    expect(decoded.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(decoded.pathname).toBe('/');
  });

  it('carries only the query parameters the authenticator accepts, with the EKS values', async () => {
    const url = decodeEksToken((await eksToken(input)).token);
    for (const key of url.searchParams.keys()) expect(AUTHENTICATOR_PARAMS.has(key), key).toBe(true);
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260102/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260102T030405Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.has('x-k8s-aws-id')).toBe(false);
  });

  it('has the SigV4 signature the specification gives, covering the cluster name', async () => {
    const url = decodeEksToken((await eksToken(input)).token);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'kartstream', credentials.secretAccessKey),
    );
    const other = decodeEksToken((await eksToken({ ...input, cluster: 'another' })).token);
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
    expect(other.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(other, 'another', credentials.secretAccessKey),
    );
  });

  it('includes the session token of temporary credentials, signed', async () => {
    const temporary = { ...credentials, sessionToken: 'FwoGZXIvYXdzEXAMPLE+/=' };
    const url = decodeEksToken((await eksToken({ ...input, credentials: temporary })).token);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(temporary.sessionToken);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'kartstream', credentials.secretAccessKey),
    );
  });

  it('accepts a credential provider and expires 14 minutes after signing', async () => {
    const result = await eksToken({ ...input, credentials: async () => credentials });
    expect(result.expiresAt.toISOString()).toBe('2026-01-02T03:18:05.000Z');
  });

  it('refuses to decode something that is not an EKS token', () => {
    expect(() => decodeEksToken('Bearer abc')).toThrow(/k8s-aws-v1\./);
  });
});
