// The bearer token EKS accepts (aws-iam-authenticator's format): "k8s-aws-v1." + the unpadded
// base64url of a presigned STS GetCallerIdentity URL whose signature covers the header
// `x-k8s-aws-id: <cluster>`. EKS calls STS with it to learn who is asking; nothing secret is in it
// beyond a signature valid for 15 minutes.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The authenticator accepts a signed URL for 15 minutes after X-Amz-Date; we refresh at 14. */
export const TOKEN_LIFETIME_MS = 14 * 60_000;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TokenInput {
  cluster: string;
  region: string;
  credentials: Credentials | (() => Promise<Credentials>);
  /** Fixed in tests for a known answer; now by default. */
  signingDate?: Date;
}

export interface EksToken {
  token: string;
  /** The presigned URL inside the token. */
  url: string;
  expiresAt: Date;
}

// RFC 3986 encoding, as SigV4 requires for query keys and values.
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// A token for `cluster`, signed with the caller's credentials for the regional STS endpoint.
export const eksToken = async (input: TokenInput): Promise<EksToken> => {
  const host = `sts.${input.region}.amazonaws.com`;
  const signingDate = input.signingDate ?? new Date();
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      headers: { host, 'x-k8s-aws-id': input.cluster },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: 60, signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([key, value]) => `${encode(key)}=${encode(String(value))}`)
    .join('&');
  const url = `https://${host}/?${query}`;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url').replace(/=+$/, ''),
    url,
    expiresAt: new Date(signingDate.getTime() + TOKEN_LIFETIME_MS),
  };
};

// The presigned URL back out of a token (for checks and debugging).
export const decodeEksToken = (token: string): URL => {
  if (!token.startsWith(EKS_TOKEN_PREFIX))
    throw new Error(`not an EKS token: it does not start with ${EKS_TOKEN_PREFIX}`);
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
};
