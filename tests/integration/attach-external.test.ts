// `kartstream attach` on a real cluster: a running sim lab's kubeconfig attached as an external
// lab. status, the map feed (the core server's cluster watch) and the failover scenario with
// --auto-solve then run through the external backend's code paths (its failed-node stand-in is a
// taint of KartStream's own, never sim's fault label); `down` forgets the attached lab and takes
// back only KartStream's additions, leaving the cluster and the sim lab as they were. Bad
// kubeconfigs are refused before a lab exists, each with what, where and how to fix.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1DeploymentList, V1Node, V1NodeList } from '@kubernetes/client-node';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILED_TAINT } from '../../core/backends/external/node-actions.ts';
import { FAULT_LABEL } from '../../core/backends/sim/pod-faults.ts';
import { labKubeconfigPath, listLabNames } from '../../core/lab/lab-record.ts';
import { waitFor } from '../helpers/wait.ts';
import { followCluster, startCoreClient } from './helpers/core-client.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';

const HOST = 'host-lab';
const EXT = 'ext';

let hostKubeconfig = '';
let scratch = '';
let core: Awaited<ReturnType<typeof startCoreClient>>;

const hostNodes = async (): Promise<V1Node[]> =>
  (await kubectlJson<V1NodeList>(hostKubeconfig, ['get', 'nodes'])).items;

const isReady = (n: V1Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const hasFailedTaint = (n: V1Node) => (n.spec?.taints ?? []).some((t) => t.key === FAILED_TAINT.key);

// What KartStream may have added to the host's nodes: its taint, its cordon, sim's fault label.
const additions = async () =>
  (await hostNodes())
    .filter(
      (n) =>
        hasFailedTaint(n) ||
        n.spec?.unschedulable ||
        n.metadata?.annotations?.['kartstream.dev/cordoned'] ||
        n.metadata?.labels?.[FAULT_LABEL],
    )
    .map((n) => n.metadata?.name);

// A kubeconfig file next to the host's, its user replaced.
const kubeconfigWithUser = async (file: string, user: Record<string, unknown>): Promise<string> => {
  const doc = parse(await readFile(hostKubeconfig, 'utf8')) as { users: { user: unknown }[] };
  for (const u of doc.users) u.user = user;
  const path = join(scratch, file);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
};

const attach = (args: string[]) => cli(['attach', '--name', EXT, ...args]);

// The refusal of an attach that must fail: nothing is left of the lab.
const refused = async (args: string[]) => {
  const result = await attach(args);
  expect(result.exitCode, result.stdout).not.toBe(0);
  expect(await listLabNames()).not.toContain(EXT);
  return result.stderr;
};

describe('a sim lab attached as an external lab', () => {
  const temp = useTempHome();

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'kartstream-attach-'));
    const up = await cli(['up', '--backend', 'sim', '--name', HOST]);
    expect(up.exitCode, up.stderr).toBe(0);
    hostKubeconfig = labKubeconfigPath(HOST);
    core = await startCoreClient(EXT, scratch);
  });

  afterAll(async () => {
    await core?.close();
    await cli(['down', '--name', EXT]);
    await cli(['down', '--name', HOST]);
    rmSync(scratch, { recursive: true, force: true });
    temp.cleanup();
  });

  describe('refuses a bad kubeconfig before the lab exists, saying what, where and how to fix', () => {
    it('a file that does not exist', async () => {
      const missing = join(scratch, 'no-such-kubeconfig');
      const stderr = await refused(['--kubeconfig', missing]);
      expect(stderr).toContain(`kubeconfig ${missing} does not exist`);
      expect(stderr).toMatch(/fix: pass the file .* with --kubeconfig/);
    });

    it('a context that is not in the file', async () => {
      const stderr = await refused(['--kubeconfig', hostKubeconfig, '--context', 'no-such-context']);
      expect(stderr).toContain(`kubeconfig ${hostKubeconfig} has no context "no-such-context"`);
      expect(stderr).toContain(`contexts there: kartstream-${HOST}`);
      expect(stderr).toContain(`fix: use --context kartstream-${HOST}`);
    });

    it('an exec credential plugin whose command is missing', async () => {
      const file = await kubeconfigWithUser('plugin-missing', {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'kartstream-test-no-such-plugin',
          args: ['token'],
        },
      });
      const stderr = await refused(['--kubeconfig', file]);
      expect(stderr).toContain(`users[].user.exec.command in ${file}`);
      expect(stderr).toContain('runs "kartstream-test-no-such-plugin", which is not on PATH');
      expect(stderr).toMatch(/fix: install kartstream-test-no-such-plugin, or put it on PATH/);
    });

    it('an exec credential plugin that fails (a login that has expired)', async () => {
      const file = await kubeconfigWithUser('plugin-fails', {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'sh',
          args: ['-c', 'echo "error: the SSO session has expired" >&2; exit 1'],
        },
      });
      const stderr = await refused(['--kubeconfig', file]);
      expect(stderr).toMatch(/credential plugin .* failed: `sh -c .*` exited with 1/);
      expect(stderr).toContain('the SSO session has expired');
      expect(stderr).toContain('fix: run `sh -c');
    });

    it('a token the real API server does not accept (revoked)', async () => {
      // A genuine ServiceAccount token, then its ServiceAccount deleted: the API server says 401.
      await execa('kubectl', [
        '--kubeconfig',
        hostKubeconfig,
        '-n',
        'default',
        'create',
        'serviceaccount',
        'gone',
      ]);
      const token = String(
        (await execa('kubectl', ['--kubeconfig', hostKubeconfig, '-n', 'default', 'create', 'token', 'gone']))
          .stdout,
      ).trim();
      await execa('kubectl', [
        '--kubeconfig',
        hostKubeconfig,
        '-n',
        'default',
        'delete',
        'serviceaccount',
        'gone',
      ]);
      const file = await kubeconfigWithUser('revoked-token', { token });
      const stderr = await refused(['--kubeconfig', file]);
      expect(stderr).toMatch(/the API server at https:\/\/127\.0\.0\.1:\d+ refused the credentials of /);
      expect(stderr).toContain(`${file} (context kartstream-${HOST})`);
      expect(stderr).toContain('401 Unauthorized');
      expect(stderr).toContain('fix: get fresh credentials');
      expect(token).not.toBe('');
      expect(stderr).not.toContain(token);
    });
  });

  it('attaches the sim lab: `status` shows its pools and the shop, as an external lab', async () => {
    const attached = await attach(['--kubeconfig', hostKubeconfig]);
    expect(attached.exitCode, attached.stderr).toBe(0);
    expect(attached.stdout).toMatch(/^lab ext \(external\), ready, API https:\/\/127\.0\.0\.1:\d+/m);
    const status = await cli(['status', '--name', EXT, '-o', 'json']);
    expect(status.exitCode, status.stderr).toBe(0);
    const snapshot = JSON.parse(status.stdout) as {
      backend: string;
      ready: boolean;
      nodes: { pool: string }[];
      workloads: { ready: boolean }[];
    };
    expect(snapshot).toMatchObject({ backend: 'external', ready: true });
    expect(new Set(snapshot.nodes.map((n) => n.pool))).toEqual(
      new Set(['frontend', 'backend', 'database', 'monitoring']),
    );
    expect(snapshot.workloads).toHaveLength(12); // the sim shop has its loadgenerator
    expect(snapshot.workloads.every((w) => w.ready)).toBe(true);
    // A second attach under the same name is refused, naming the lab.
    const again = await attach(['--kubeconfig', hostKubeconfig]);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain('there is already a lab named ext (external)');
  });

  it('reaches the attached cluster’s monitoring through port-forwards: `query` and `alerts` answer', async () => {
    const query = await cli([
      'query',
      'sum(kube_node_status_condition{condition="Ready",status="true"})',
      '--name',
      EXT,
      '-o',
      'json',
    ]);
    expect(query.exitCode, query.stderr).toBe(0);
    const result = JSON.parse(query.stdout) as { result: { value: [number, string] }[] };
    expect(Number(result.result[0]?.value[1])).toBe(6); // every node of the four pools, Ready
    const alerts = await cli(['alerts', '--name', EXT, '-o', 'json']);
    expect(alerts.exitCode, alerts.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(alerts.stdout))).toBe(true);
  });

  it('the map feed follows the attached cluster; a failed node is the external stand-in', async () => {
    const map = followCluster(core.api, EXT);
    try {
      await map.until('the map to hold six nodes', () => map.nodes.size === 6);
      expect(map.errors).toEqual([]);
      const fail = await cli(['node', 'fail', 'backend-1', '--name', EXT]);
      expect(fail.exitCode, fail.stderr).toBe(0);
      expect(fail.stdout).toContain(`cordoned and tainted ${FAILED_TAINT.key}:NoExecute`);
      const failed = await map.until('backend-1 to show as failed and cordoned', () => {
        const n = map.nodes.get('backend-1');
        return n?.fault === 'failed' && !n.schedulable ? n : undefined;
      });
      // A stand-in, not sim's fault: the kubelet (KWOK) keeps reporting, the node stays Ready.
      expect(failed.ready).toBe(true);
      const node = (await hostNodes()).find((n) => n.metadata?.name === 'backend-1');
      expect(node?.metadata?.labels?.[FAULT_LABEL]).toBeUndefined();
      expect(hasFailedTaint(node!)).toBe(true);
      await map.until('no shop pod on backend-1 in the map', () =>
        [...map.pods.values()].every((p) => p.node !== 'backend-1'),
      );
      const heal = await cli(['node', 'heal', 'backend-1', '--name', EXT]);
      expect(heal.exitCode, heal.stderr).toBe(0);
      await map.until('backend-1 to be healed in the map', () => {
        const n = map.nodes.get('backend-1');
        return n && !n.fault && n.schedulable;
      });
      expect(await additions()).toEqual([]);
    } finally {
      map.stop();
    }
  });

  it('the failover scenario passes with --auto-solve through the external backend', async () => {
    const seen = { failedTaint: new Set<string>(), simFault: new Set<string>(), notReady: new Set<string>() };
    let running = true;
    // An independent watcher of the host cluster while the scenario runs.
    const watching = (async () => {
      while (running) {
        for (const n of await hostNodes()) {
          const name = n.metadata?.name ?? '';
          if (hasFailedTaint(n)) seen.failedTaint.add(name);
          if (n.metadata?.labels?.[FAULT_LABEL]) seen.simFault.add(name);
          if (!isReady(n)) seen.notReady.add(name);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const run = await cli([
      'scenario',
      'run',
      'failover',
      '--name',
      EXT,
      '--auto-solve',
      '-o',
      'json',
    ]).finally(() => (running = false));
    await watching;
    expect(run.stderr).not.toMatch(/^error:/m);
    const result = JSON.parse(run.stdout) as {
      passed: boolean;
      reason?: string;
      steps: { id: string; outcome: string }[];
    };
    expect(result.reason).toBeUndefined();
    expect(result.passed).toBe(true);
    expect(result.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['observe', 'passed'],
      ['no-room', 'passed'],
      ['restore', 'passed'],
    ]);
    // The external code path: KartStream's taint on both backend nodes, never sim's fault
    // label, and no node ever NotReady (the stand-in leaves the kubelet running).
    expect([...seen.failedTaint].sort()).toEqual(['backend-1', 'backend-2']);
    expect([...seen.simFault]).toEqual([]);
    expect([...seen.notReady]).toEqual([]);
    expect(await additions()).toEqual([]);
    // The rollback re-applied the shop, and kept the host's own Service type (sim: ClusterIP).
    const frontend = await kubectlJson<{ spec: { type: string } }>(hostKubeconfig, [
      'get',
      'service',
      'frontend-external',
      '-n',
      'shop',
    ]);
    expect(frontend.spec.type).toBe('ClusterIP');
  });

  it('`down` forgets the attached lab and takes back only what KartStream added', async () => {
    // Leave something of KartStream's behind: a failed (tainted, cordoned) node.
    expect((await cli(['node', 'fail', 'backend-2', '--name', EXT])).exitCode).toBe(0);
    expect(await additions()).toEqual(['backend-2']);
    const down = await cli(['down', '--name', EXT]);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain(`lab ${EXT} is forgotten`);
    expect(await listLabNames()).toEqual([HOST]);
    // The cluster runs on, without KartStream's taint and cordon, its shop whole.
    const nodes = await hostNodes();
    expect(nodes).toHaveLength(6);
    expect(nodes.every(isReady)).toBe(true);
    expect(await additions()).toEqual([]);
    await waitFor(
      'every shop Deployment of the host to be available',
      async () =>
        (await kubectlJson<V1DeploymentList>(hostKubeconfig, ['get', 'deployments', '-n', 'shop'])).items.map(
          (d) => [d.metadata?.name, d.status?.availableReplicas ?? 0],
        ),
      (rows) => rows.length === 12 && rows.every(([, n]) => n === 1),
      120_000,
    );
    // The sim lab itself is intact: its own status works and says ready.
    const host = await cli(['status', '--name', HOST, '-o', 'json']);
    expect(host.exitCode, host.stderr).toBe(0);
    expect(JSON.parse(host.stdout)).toMatchObject({ backend: 'sim', ready: true });
  });
});
