// Bad inputs fail before anything is created, with a message that says what is wrong and a fix:
// no credentials, an unknown region, an invalid lab name, an unknown instance type, a pool whose
// maximum is below its desired size, and a name already used by someone else's stack.
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, useTempHome } from '../helpers/lab-env.ts';
import { startMoto, type MotoServer } from './moto-server.ts';
import { checkPromoted, promoteCli } from './promote-helpers.ts';

let moto: MotoServer;
let home: { cleanup: () => void };
let dir: string;

beforeAll(async () => {
  home = useTempHome();
  moto = await startMoto();
  dir = mkdtempSync(join(tmpdir(), 'kartstream-topology-'));
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  home?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

// The default topology with one line replaced.
const topologyWith = (name: string, from: string, to: string): string => {
  const text = readFileSync(join(REPO, 'infra/topology.yaml'), 'utf8');
  expect(text).toContain(from);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text.replace(from, to));
  return file;
};

describe('promote refuses bad inputs with clear errors', () => {
  it('no credentials: says where it looked and how to provide them', async () => {
    const env = {
      ...moto.env,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
      HOME: dir,
    };
    const result = await promoteCli(env as unknown as Record<string, string>, ['plan']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no AWS credentials were found');
    expect(result.stderr).toMatch(/fix: run `aws configure` or `aws sso login/);
  });

  it('an unknown region: names the nearest real ones', async () => {
    const result = await promoteCli(moto.env, ['plan', '--region', 'eu-wset-1']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown AWS region "eu-wset-1"');
    expect(result.stderr).toMatch(/fix: use --region eu-west-1/);
  });

  it('an invalid lab name: suggests a valid one', async () => {
    const result = await promoteCli(moto.env, ['plan', '--name', 'My_Lab']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('invalid lab name "My_Lab"');
    expect(result.stderr).toContain('use --name my-lab');
  });

  it('an unknown instance type: names the pool, creates nothing', async () => {
    const file = topologyWith(
      'bad-type',
      'instanceType: t3.large, subnetTier: private, minSize: 1, maxSize: 4',
      'instanceType: t9.huge, subnetTier: private, minSize: 1, maxSize: 4',
    );
    const result = await promoteCli(moto.env, [
      'apply',
      '--infra-only',
      '--name',
      'bad-type',
      '--topology',
      file,
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown instance type t9.huge in eu-west-1');
    expect(result.stderr).toContain('pools[backend].eks.instanceType: t9.huge');
    expect((await checkPromoted(moto.env, 'bad-type')).taggedCount).toBe(0);
  });

  it('a pool whose maximum is below its desired size: names the field', async () => {
    const file = topologyWith(
      'small-max',
      'nodes: 2\n    labels: { pool: backend }',
      'nodes: 5\n    labels: { pool: backend }',
    );
    const result = await promoteCli(moto.env, ['plan', '--name', 'small-max', '--topology', file]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/pools\.1\.nodes|pools\[1\]\.nodes|nodes/);
    expect(result.stderr).toContain('got 5, expected between eks.minSize (1) and eks.maxSize (4)');
  });

  it('a bad NAT mode, a bad pool or node count for scale', async () => {
    expect((await promoteCli(moto.env, ['plan', '--nat', 'many'])).stderr).toContain(
      'expected single or per-az',
    );
    const pool = await promoteCli(moto.env, ['scale', '--pool', 'cache', '--nodes', '1']);
    expect(pool.exitCode).toBe(2);
    expect(pool.stderr).toContain('use one of frontend, backend, database, monitoring');
    const nodes = await promoteCli(moto.env, ['scale', '--pool', 'backend', '--nodes', '-1']);
    expect(nodes.exitCode).toBe(2);
  });

  it('apply without --infra-only against an emulator: says there is no Kubernetes API there', async () => {
    const result = await promoteCli(moto.env, ['apply']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no Kubernetes API');
    expect(result.stderr).toContain('add --infra-only');
  });

  it("a stack of the same name that is not the lab's: a conflict, never adopted", async () => {
    const cfn = new CloudFormationClient({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await cfn.send(
      new CreateStackCommand({
        StackName: 'kartstream-foreign-network',
        TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }),
      }),
    );
    cfn.destroy();
    const result = await promoteCli(moto.env, ['plan', '--name', 'foreign']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("is not lab foreign's");
  });
});
