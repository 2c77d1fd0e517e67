// A promoted cluster is a lab: `<lab>-eks`, an external lab whose kubeconfig mints its own EKS
// tokens (an exec credential plugin that runs this checkout's CLI), shows the shop's load
// balancer once it has an address, and is forgotten by `promote destroy`. moto (the AWS side)
// has no Kubernetes API, and `promote apply` refuses to deploy to it, so registration is called
// as apply calls it after its deploy, and a real sim lab's API server stands in for EKS's behind
// a proxy that, like EKS, lets in only a valid EKS token (checked with moto's STS).
import { statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1NodeList } from '@kubernetes/client-node';
import { labDir } from '../../../core/home/paths.ts';
import { decodeEksToken } from '../../../core/promote/eks-token.ts';
import { checkEksLabName, registerEksLab } from '../../../core/promote/eks-lab.ts';
import { promoteNames } from '../../../core/promote/names.ts';
import { labKubeconfigPath, writeLabRecord } from '../../../core/lab/lab-record.ts';
import { DEFAULT_TOPOLOGY_FILE } from '../../../core/topology/load-topology.ts';
import type { TaskReporter } from '../../../core/tasks/task.ts';
import { cli, kubectlJson, useTempHome } from '../helpers/lab-env.ts';
import { startEksAuthProxy, type EksAuthProxy } from './eks-auth-proxy.ts';
import { startMoto, type MotoServer } from './moto-server.ts';
import { promoteCli } from './promote-helpers.ts';

const API_LAB = 'eks-api';
const EKS_LAB = 'kartstream-eks';
const NAMES = promoteNames('kartstream', 'eu-west-1');
const MOTO_ARN = 'arn:aws:sts::123456789012:user/moto';

const silentTask: TaskReporter = {
  step: () => {},
  progress: () => {},
  log: () => {},
  signal: new AbortController().signal,
  logPath: '',
};

interface ExecUser {
  token?: string;
  exec?: { command: string; args: string[]; apiVersion: string; env?: { name: string; value: string }[] };
}

let moto: MotoServer;
let proxy: EksAuthProxy;
let home: { cleanup: () => void };
let apiKubeconfig = '';

const register = () =>
  registerEksLab(
    {
      names: NAMES,
      access: { endpoint: proxy.url, certificateAuthority: proxy.certificateAuthority },
      topologyFile: DEFAULT_TOPOLOGY_FILE,
      shopUrlWaitMs: 10_000,
    },
    silentTask,
  );

beforeAll(async () => {
  home = useTempHome();
  moto = await startMoto();
  // The engine in this process runs the token plugin too: it gets moto's credentials.
  Object.assign(process.env, moto.env);
  const up = await cli(['up', '--backend', 'sim', '--name', API_LAB, '--no-monitoring']);
  expect(up.exitCode, up.stderr).toBe(0);
  apiKubeconfig = labKubeconfigPath(API_LAB);
  const apply = await promoteCli(moto.env, ['apply', '--infra-only']);
  expect(apply.exitCode, apply.stderr).toBe(0);
  proxy = await startEksAuthProxy({
    kubeconfig: apiKubeconfig,
    cluster: NAMES.cluster,
    region: NAMES.region,
    stsEndpoint: moto.endpoint,
  });
}, 900_000);

afterAll(async () => {
  await proxy?.close();
  await cli(['down', '--name', API_LAB]);
  await moto?.stop();
  for (const key of Object.keys(moto?.env ?? {})) delete process.env[key];
  home?.cleanup();
});

describe('a promoted cluster registered as lab <lab>-eks', () => {
  it('is refused before anything is created when <lab>-eks is another lab', async () => {
    await writeLabRecord({
      name: 'other-eks',
      backend: 'sim',
      createdAt: new Date().toISOString(),
      topologyFile: DEFAULT_TOPOLOGY_FILE,
      state: 'ready',
      namespace: 'shop',
      monitoring: false,
    });
    const refusal = await checkEksLabName(promoteNames('other', 'eu-west-1')).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'conflict' });
    expect(String((refusal as Error).message)).toContain('a sim lab of that name exists');
    expect((refusal as { fix?: string }).fix).toContain('npx kartstream down --name other-eks');
    await rm(labDir('other-eks'), { recursive: true, force: true });
  });

  it('writes a private kubeconfig with no token, whose exec plugin mints a fresh EKS token', async () => {
    const registered = await register();
    expect(registered).toEqual({ lab: EKS_LAB });
    const path = labKubeconfigPath(EKS_LAB);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const doc = parse(await readFile(path, 'utf8')) as { users: { user: ExecUser }[] };
    const user = doc.users[0]!.user;
    expect(user.token).toBeUndefined();
    expect(user.exec?.command).toBe(process.execPath);
    expect(user.exec?.args.slice(1)).toEqual([
      'promote',
      'token',
      '--name',
      'kartstream',
      '--region',
      'eu-west-1',
    ]);

    // Run the plugin exactly as kubectl does: the command, its args, the caller's environment.
    const run = await execa(user.exec!.command, user.exec!.args, {
      env: { ...moto.env, KUBERNETES_EXEC_INFO: '{"apiVersion":"client.authentication.k8s.io/v1beta1"}' },
    });
    const credential = JSON.parse(String(run.stdout)) as {
      kind: string;
      apiVersion: string;
      status: { token: string; expirationTimestamp: string };
    };
    expect(credential).toMatchObject({ kind: 'ExecCredential', apiVersion: user.exec!.apiVersion });
    const url = decodeEksToken(credential.status.token);
    expect(url.hostname).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('x-k8s-aws-id');
    const expiresIn = Date.parse(credential.status.expirationTimestamp) - Date.now();
    expect(expiresIn).toBeGreaterThan(10 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
  });

  it('is a lab: `status` reaches the cluster with the minted token', async () => {
    const before = proxy.identities.length;
    const status = await cli(['status', '--name', EKS_LAB, '-o', 'json'], moto.env);
    expect(status.exitCode, status.stderr).toBe(0);
    const snapshot = JSON.parse(status.stdout) as {
      backend: string;
      ready: boolean;
      server: string;
      nodes: unknown[];
      workloads: { ready: boolean }[];
      shopUrl?: string;
    };
    expect(snapshot).toMatchObject({ backend: 'external', ready: true, server: proxy.url });
    expect(snapshot.nodes).toHaveLength(6);
    expect(snapshot.workloads.filter((w) => w.ready)).toHaveLength(12); // the sim shop, loadgenerator included
    // No load balancer address yet (the sim runs frontend-external as a ClusterIP): none shown.
    expect(snapshot.shopUrl).toBeUndefined();
    expect(proxy.identities.slice(before)).toContain(MOTO_ARN);
  });

  it('kubectl uses the same kubeconfig; a token that is not an EKS token is refused', async () => {
    const nodes = await kubectlJson<V1NodeList>(labKubeconfigPath(EKS_LAB), ['get', 'nodes']);
    expect(nodes.items).toHaveLength(6);
    const forged = await execa(
      'kubectl',
      ['--kubeconfig', labKubeconfigPath(EKS_LAB), '--token', 'k8s-aws-v1.bm90LWEtdXJs', 'get', 'nodes'],
      { reject: false },
    );
    expect(forged.exitCode).not.toBe(0);
    expect(String(forged.stderr)).toMatch(/Unauthorized|must be logged in/);
  });

  it("shows the shop's load balancer URL once AWS gave it an address", async () => {
    // What EKS's service controller does: the Service is a LoadBalancer with an ELB hostname.
    const host = 'a1b2c3-frontend.eu-west-1.elb.amazonaws.com';
    await execa('kubectl', [
      '--kubeconfig',
      apiKubeconfig,
      '-n',
      'shop',
      'patch',
      'service',
      'frontend-external',
      '-p',
      '{"spec":{"type":"LoadBalancer"}}',
    ]);
    await execa('kubectl', [
      '--kubeconfig',
      apiKubeconfig,
      '-n',
      'shop',
      'patch',
      'service',
      'frontend-external',
      '--subresource=status',
      '-p',
      JSON.stringify({ status: { loadBalancer: { ingress: [{ hostname: host }] } } }),
    ]);
    // A second apply registers again (apply converges): now with the address.
    expect(await register()).toEqual({ lab: EKS_LAB, shopUrl: `http://${host}` });
    const status = await cli(['status', '--name', EKS_LAB], moto.env);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain(`The shop: http://${host}`);
  });

  it('`promote destroy` forgets the lab; the cluster that stood in for EKS is untouched', async () => {
    const destroy = await promoteCli(moto.env, ['destroy']);
    expect(destroy.exitCode, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain(`lab ${EKS_LAB} (the promoted cluster) is forgotten`);
    const gone = await cli(['status', '--name', EKS_LAB], moto.env);
    expect(gone.exitCode).not.toBe(0);
    expect(gone.stderr).toContain(EKS_LAB);
    const api = await cli(['status', '--name', API_LAB, '-o', 'json']);
    expect(api.exitCode, api.stderr).toBe(0);
    expect((JSON.parse(api.stdout) as { ready: boolean }).ready).toBe(true);
  });
});
