// Each participant's own identity in a real sim lab (issue #17 items 3 and 4): the real
// `kartstream serve --share --address 127.0.0.2` and `kartstream invite`; an operator's scale
// through the API made with their ServiceAccount and read back from the API server's audit log
// with their name; an observer's kubeconfig refused a scale by the API server (kubectl from PATH
// as the independent client); the kubectl console refusing shell syntax and running kubectl as
// the person, each command on the lab's timeline.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { V1Deployment } from '@kubernetes/client-node';
import { personServiceAccount } from '../../core/contract/team-identity.ts';
import { personKubeconfigFile } from '../../core/home/paths.ts';
import { readAuditChanges } from '../../core/lab/audit-log.ts';
import { labKubeconfigPath } from '../../core/lab/lab-record.ts';
import { readLabTimeline } from '../../core/lab/lab-timeline.ts';
import { waitFor } from '../helpers/wait.ts';
import { PinnedAgent } from './helpers/pinned-agent.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';
import { startShareServe, type SharedServe } from './helpers/share-serve.ts';

const LAB = 'team-lab';
const ADDRESS = '127.0.0.2';
const OPERATOR = 'Oona Operator';
const OBSERVER = 'Obi';

const kubectl = (kubeconfig: string, args: string[]) =>
  execa('kubectl', ['--kubeconfig', kubeconfig, ...args], { reject: false, timeout: 60_000 });

describe('team identity in the cluster', () => {
  const temp = useTempHome();
  const env = { KARTSTREAM_HOME: temp.home, KARTSTREAM_RENDERER_DIR: join(temp.home, 'ui') };
  let serve: SharedServe | undefined;
  let agent: PinnedAgent;
  const links: Record<string, string> = {};

  const invite = async (role: string, person: string) => {
    const result = await cli(
      ['invite', '--name', LAB, '--role', role, '--person', person, '-o', 'json'],
      env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    links[person] = (JSON.parse(result.stdout) as { url: string }).url;
  };

  beforeAll(async () => {
    const up = await cli(['up', '--backend', 'sim', '--no-monitoring', '--name', LAB], env);
    expect(up.exitCode, up.stderr).toBe(0);
    serve = await startShareServe({ lab: LAB, address: ADDRESS, env });
    expect(serve.fingerprint, serve.lines.join('\n')).not.toBe('');
    agent = new PinnedAgent(serve.fingerprint);
    await invite('operator', OPERATOR);
    await invite('observer', OBSERVER);
  }, 600_000);

  afterAll(async () => {
    await serve?.stop();
    await cli(['down', '--name', LAB], env);
    temp.cleanup();
  }, 120_000);

  const call = (url: string, body: unknown): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        { agent, method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += String(chunk)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  it("makes the operator's scale with their ServiceAccount, and the audit log names them", async () => {
    const scale = await call(`${links[OPERATOR]}trpc/actions.scaleDeployment`, {
      lab: LAB,
      name: 'cartservice',
      replicas: 2,
    });
    expect(scale.status, scale.body).toBe(200);
    const deployment = await kubectlJson<V1Deployment>(labKubeconfigPath(LAB), [
      'get',
      'deployment',
      'cartservice',
      '-n',
      'shop',
    ]);
    expect(deployment.spec?.replicas).toBe(2);
    const change = await waitFor(
      "the operator's scale in the audit log",
      async () =>
        (await readAuditChanges(LAB)).find(
          (c) => c.resource === 'deployments/scale' && c.name === 'cartservice',
        ),
      (c) => c !== undefined,
      20_000,
    );
    expect(change).toMatchObject({ actor: OPERATOR, verb: 'patch', namespace: 'shop' });
    expect(change?.text).toBe(`${OPERATOR} scaled deployment cartservice in shop`);
  });

  it("lets the API server refuse the observer's scale, while they may read", async () => {
    const kubeconfig = personKubeconfigFile(LAB, personServiceAccount(OBSERVER));
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const refused = await kubectl(kubeconfig, [
      'scale',
      'deployment',
      'cartservice',
      '-n',
      'shop',
      '--replicas=3',
    ]);
    expect(refused.exitCode).not.toBe(0);
    expect(String(refused.stderr)).toMatch(/forbidden.*system:serviceaccount:kartstream-team:person-obi/i);
    const read = await kubectl(kubeconfig, ['get', 'deployment', 'cartservice', '-n', 'shop', '-o', 'name']);
    expect(String(read.stdout).trim()).toBe('deployment.apps/cartservice');
  });

  it('gives the operator a kubectl console: shell syntax refused, kubectl run as them and recorded', async () => {
    const ws = new WebSocket(`${links[OPERATOR]?.replace(/^https:/, 'wss:')}terminal?lab=${LAB}`, { agent });
    let output = '';
    ws.on('message', (data) => (output += String(data)));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const seen = (re: RegExp, from: number) =>
      waitFor(
        `${re} in the console`,
        () => re.exec(output.slice(from)),
        (m) => m !== null,
        20_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nconsole output:\n${output.slice(-1500)}`);
      });
    const type = (line: string) => {
      const from = output.length;
      ws.send(JSON.stringify({ type: 'input', data: `${line}\r` }));
      return from;
    };
    await seen(new RegExp(`KartStream console for lab ${LAB}, as ${OPERATOR}`), 0);
    for (const line of [
      'kubectl get pods; id',
      'kubectl get pods | head',
      'kubectl get pods $(id)',
      'kubectl get pods `id`',
      'kubectl get pods > /tmp/x',
      'kubectl get pods < /etc/passwd',
      'kubectl get pods && id',
      'kubectl get pods || id',
      'kubectl get pods &',
    ])
      await seen(
        /refused: .* is shell syntax; this console runs one kubectl or kartstream command, without a shell/,
        type(line),
      );
    await seen(/system:serviceaccount:kartstream-team:person-oona-operator/, type('kubectl auth whoami'));
    await seen(/cartservice-\S+\s+1\/1\s+Running/, type('kubectl get pods'));
    ws.close();
    const otherLab = new WebSocket(`${links[OBSERVER]?.replace(/^https:/, 'wss:')}terminal?lab=another`, {
      agent,
    });
    const status = await new Promise<number>((resolve) =>
      otherLab.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status, "a console for a lab that is not the participant's").toBe(403);
    const commands = (await readLabTimeline(LAB)).entries.filter((e) => e.kind === 'command');
    expect(commands.map((e) => [e.actor, e.text])).toEqual([
      [OPERATOR, 'kubectl auth whoami'],
      [OPERATOR, 'kubectl get pods'],
    ]);
  });

  it("deletes a revoked person's ServiceAccount, so their token stops working", async () => {
    const file = personKubeconfigFile(LAB, personServiceAccount(OPERATOR));
    const kept = join(temp.home, 'kept-kubeconfig');
    writeFileSync(kept, readFileSync(file), { mode: 0o600 });
    const revoke = await cli(['invite', 'revoke', '--name', LAB, OPERATOR], env);
    expect(revoke.exitCode, revoke.stderr).toBe(0);
    // The API server may still know the ServiceAccount for a moment after its role binding is
    // gone (Forbidden): what counts is that the token itself is refused.
    await waitFor(
      'the revoked token to be refused as unknown',
      () => kubectl(kept, ['get', 'pods', '-n', 'shop']),
      (r) => r.exitCode !== 0 && /Unauthorized|must be logged in/i.test(String(r.stderr)),
      10_000,
    );
  });
});
