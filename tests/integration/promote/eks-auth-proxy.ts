// What EKS does in front of its API server, for a test: moto's EKS clusters have no Kubernetes
// API, so a real sim lab's API server stands in for it behind this proxy. Like EKS's
// authenticator, it takes only a bearer token `k8s-aws-v1.<presigned STS GetCallerIdentity URL>`
// whose signature covers `x-k8s-aws-id: <cluster>`, signed less than 15 minutes ago, and asks STS
// (moto) who signed it; anything else gets 401. What passes is forwarded, watches included, to
// the lab's API server with the lab's own credentials. It serves HTTPS with a certificate of its
// own, whose CA is handed out as EKS hands out a cluster's (client-node refuses plain HTTP).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { KubeConfig } from '@kubernetes/client-node';
import { decodeEksToken } from '../../../core/promote/eks-token.ts';

export interface EksAuthProxy {
  url: string;
  /** The proxy's certificate (self-signed, for 127.0.0.1), base64: the cluster's CA data. */
  certificateAuthority: string;
  /** The STS identities (ARNs) of the requests let through. */
  identities: string[];
  /** Why requests were refused. */
  refusals: string[];
  close(): Promise<void>;
}

const TOKEN_VALID_MS = 15 * 60_000;

// X-Amz-Date (20261205T120000Z) as a Date.
const amzDate = (value: string): Date =>
  new Date(value.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));

// The caller's ARN, or why the token is refused.
const authenticate = async (
  header: string | undefined,
  cluster: string,
  region: string,
  stsEndpoint: string,
): Promise<{ arn: string } | { refused: string }> => {
  const token = header?.match(/^Bearer (.+)$/)?.[1];
  if (!token) return { refused: 'no bearer token' };
  let url: URL;
  try {
    url = decodeEksToken(token);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  const q = url.searchParams;
  if (url.hostname !== `sts.${region}.amazonaws.com`) return { refused: `signed for ${url.hostname}` };
  if (q.get('Action') !== 'GetCallerIdentity') return { refused: `action ${q.get('Action')}` };
  if (!(q.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id'))
    return { refused: 'x-k8s-aws-id is not signed' };
  const signedAt = amzDate(q.get('X-Amz-Date') ?? '');
  if (!(Date.now() - signedAt.getTime() < TOKEN_VALID_MS)) return { refused: 'expired' };
  // moto routes by the Authorization header, not by presigned query parameters, and checks no
  // signature: the same signature is handed to it as a header.
  const answer = await fetch(`${stsEndpoint}/?${q.toString()}`, {
    headers: {
      'x-k8s-aws-id': cluster,
      authorization: `AWS4-HMAC-SHA256 Credential=${q.get('X-Amz-Credential')}, SignedHeaders=${q.get('X-Amz-SignedHeaders')}, Signature=${q.get('X-Amz-Signature')}`,
    },
  });
  const arn = (await answer.text()).match(/<Arn>([^<]+)<\/Arn>/)?.[1];
  return answer.ok && arn ? { arn } : { refused: `STS answered ${answer.status}` };
};

/** Starts the proxy on 127.0.0.1 in front of the API server of `kubeconfig`. */
export const startEksAuthProxy = async (options: {
  kubeconfig: string;
  cluster: string;
  region: string;
  stsEndpoint: string;
}): Promise<EksAuthProxy> => {
  const upstream = new KubeConfig();
  upstream.loadFromFile(options.kubeconfig);
  const server = new URL(upstream.getCurrentCluster()?.server ?? '');
  const identities: string[] = [];
  const refusals: string[] = [];

  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const tls: Record<string, unknown> = { headers: {} };
    await upstream.applyToHTTPSOptions(tls);
    const headers = { ...req.headers, host: server.host };
    delete headers.authorization;
    const out = httpsRequest(
      {
        ...tls,
        hostname: server.hostname,
        port: server.port,
        method: req.method,
        path: req.url,
        headers: { ...headers, ...(tls.headers as Record<string, string>) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // A watch's headers come long before its first event: pass them on at once.
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    out.on('error', (error) => res.destroy(error));
    res.on('close', () => out.destroy());
    req.pipe(out);
  };

  const dir = mkdtempSync(join(tmpdir(), 'eks-auth-proxy-'));
  await execa('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  const cert = readFileSync(join(dir, 'cert.pem'));
  const key = readFileSync(join(dir, 'key.pem'));
  rmSync(dir, { recursive: true, force: true });

  const proxy = createServer({ cert, key }, (req, res) => {
    void authenticate(req.headers.authorization, options.cluster, options.region, options.stsEndpoint).then(
      async (who) => {
        if ('refused' in who) {
          refusals.push(who.refused);
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: 'Unauthorized',
              reason: 'Unauthorized',
              code: 401,
            }),
          );
          return;
        }
        identities.push(who.arn);
        await forward(req, res);
      },
      (error: unknown) => res.destroy(error as Error),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    certificateAuthority: cert.toString('base64'),
    identities,
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
};
