// Crash safety (issue #19): a sim lab's kube-apiserver is killed (SIGKILL) and restarted the way
// kwokctl restarts it (`kwokctl start cluster` starts the components that are not running) while
// the map (the server's cluster feed over WebSocket), a running scenario and the lab agent watch
// the lab. The feed says the lab is unreachable while the API is down; within 5 s of the API
// answering again it sends a fresh view, and a change made then reaches the map and the agent's
// metrics within 5 s; the scenario's checks go on and the run finishes, graded. Then the API
// stays down past the 10 s in which a controller that elects a leader must renew its lease: the
// lab's controller manager and scheduler run on through the outage (with leader election they
// exited for good, and a failed node was never drained again). Last, KWOK itself stalls (SIGSTOP,
// as under heavy load or with a laptop asleep) past the node grace period: the node controller
// counts every node down and marks their pods not Ready, and once the heartbeats come back every
// pod is Ready again within seconds, as a kubelet's sync would make it (KWOK alone never did:
// every Deployment stayed unavailable for good).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSimBinaries } from '../../core/backends/sim/binaries.ts';
import { kwokClusterDir, kwokctl, labProcesses } from '../../core/backends/sim/kwokctl.ts';
import type { ClusterMessage, RunView } from '../../core/contract/wire-types.ts';
import { isAlive } from '../../core/exec/process-alive.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import type { LabContext } from '../../core/backends/cluster-backend.ts';
import { readTimeline, recordCommand } from '../../core/scenarios/run-files.ts';
import { waitFor, wakeup } from '../helpers/wait.ts';
import { followCluster, startCoreClient, type CoreApi } from './helpers/core-client.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';

const NAME = 'crash-api';
/** How soon after the API answers again everything must show the lab as it is. */
const RESYNC_MS = 5_000;
/** An outage past the 10 s lease renew deadline of a leader-elected controller. */
const OUTAGE_MS = 12_000;
const CONTROLLERS = ['kube-controller-manager', 'kube-scheduler'] as const;
/** How soon after KWOK resumes every pod must be Ready again (nodes back, then the agent's sync). */
const READY_AGAIN_MS = 30_000;

let lab: LabContext;
let core: Awaited<ReturnType<typeof startCoreClient>> | undefined;
let api: CoreApi;
let rendererDir = '';

// Every message of the cluster feed with when it came, as the map receives them.
const recordFeed = (lab: string) => {
  const messages: { at: number; message: ClusterMessage }[] = [];
  const events = wakeup();
  const subscription = api.cluster.watch.subscribe(
    { lab },
    {
      onData: (message: ClusterMessage) => {
        messages.push({ at: Date.now(), message });
        events.wake();
      },
    },
  );
  return {
    messages,
    /** The first message after `since` that matches, waited for. */
    next: (what: string, since: number, match: (m: ClusterMessage) => boolean, timeoutMs: number) =>
      waitFor(
        what,
        () => messages.find((m) => m.at >= since && match(m.message)),
        (m) => m !== undefined,
        timeoutMs,
        { intervalMs: 500, wakeup: events },
      ).then((m) => m!),
    stop: () => subscription.unsubscribe(),
  };
};

// The lab agent's kube-state-metrics text, as Prometheus scrapes it.
const agentMetrics = async (): Promise<string> => {
  const ports = JSON.parse(readFileSync(join(lab.dir, 'monitoring-ports.json'), 'utf8')) as { agent: number };
  const response = await fetch(`http://127.0.0.1:${ports.agent}/metrics`);
  return response.ok ? response.text() : '';
};

const unschedulableSeries = (node: string, value: 0 | 1) =>
  new RegExp(`^kube_node_spec_unschedulable\\{[^}]*node="${node}"[^}]*\\} ${value}$`, 'm');

const runView = (what: string, match: (v: RunView) => boolean, timeoutMs: number) =>
  waitFor(
    `the run ${what}`,
    () => api.scenarios.active.query({ lab: NAME }),
    (v): v is RunView => v !== null && match(v),
    timeoutMs,
    { intervalMs: 1_000 },
  ).then((v) => v!);

// Kills the lab's API server (known by kwokctl's pid file, checked by its command line) and
// waits until it has ended.
const killApiServer = async () => {
  const apiserver = (await labProcesses(lab)).find((p) => p.component === 'kube-apiserver');
  expect(apiserver, 'kwokctl pid file of kube-apiserver').toBeDefined();
  const cmdline = await readFile(`/proc/${apiserver!.pid}/cmdline`, 'utf8');
  expect(cmdline).toContain(lab.dir);
  const killedAt = Date.now();
  process.kill(apiserver!.pid, 'SIGKILL');
  await waitFor(
    'kube-apiserver to end',
    () => isAlive(apiserver!.pid),
    (a) => !a,
    10_000,
    { intervalMs: 100 },
  );
  return { pid: apiserver!.pid, killedAt };
};

// Restarts it as kwokctl does: `start cluster` starts what is not running, waits until served.
const restartApiServer = async (killedPid: number) => {
  // kwokctl tells a running component by signal 0, which a zombie answers: where nothing reaps
  // the killed process (a container's init may not), its pid file would keep it "running", so
  // the pid file of a zombie goes first.
  if (existsSync(`/proc/${killedPid}`)) {
    console.log(`kube-apiserver ${killedPid} is a zombie; removing its pid file for kwokctl`);
    await rm(join(kwokClusterDir(lab), 'pids', 'kube-apiserver.pid'));
  }
  const kwokctlBinary = (await findSimBinaries()).found.kwokctl!.path;
  await kwokctl(kwokctlBinary, lab, ['start', 'cluster', '--name', NAME]);
  const restarted = (await labProcesses(lab)).find((p) => p.component === 'kube-apiserver');
  expect(restarted?.pid).not.toBe(killedPid);
  expect(isAlive(restarted!.pid)).toBe(true);
  return Date.now();
};

describe('the API server killed and restarted under a watching server, scenario and agent', () => {
  const temp = useTempHome();
  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME]);
    expect(up.exitCode, up.stderr).toBe(0);
    lab = await labContext(await requireLabRecord(NAME));
    rendererDir = mkdtempSync(join(tmpdir(), 'kartstream-renderer-'));
    core = await startCoreClient(NAME, rendererDir);
    api = core.api;
  }, 600_000);
  afterAll(async () => {
    await core?.close();
    await cli(['down', '--name', NAME]);
    rmSync(rendererDir, { recursive: true, force: true });
    temp.cleanup();
  }, 180_000);

  it('resyncs the map and the agent within 5 s, and the scenario goes on to its grade', async () => {
    const feed = recordFeed(NAME);
    const map = followCluster(api, NAME);
    try {
      await map.until('the map to show the nodes', () => map.nodes.size > 0 || undefined);
      const { runId } = await api.scenarios.start.mutate({ lab: NAME, id: 'failover' });
      await runView(
        'in step 1 with its fault in',
        (v) => v.id === runId && v.steps[0]?.deadline !== undefined,
        180_000,
      );

      const { pid, killedAt } = await killApiServer();

      // While it is down, the map is told its view is not live.
      const down = await feed.next(
        'the feed to say the lab is unreachable or stale',
        killedAt,
        (m) => m.type === 'offline' || (m.type === 'stale' && m.reason !== null),
        30_000,
      );
      expect(down.at - killedAt).toBeLessThan(15_000);
      const backAt = await restartApiServer(pid);

      // A fresh whole view, within 5 s of the API answering.
      const reset = await feed.next(
        'a fresh view after the restart',
        backAt,
        (m) => m.type === 'reset',
        30_000,
      );
      const resyncMs = reset.at - backAt;
      console.log(
        `feed: unreachable ${down.at - killedAt} ms after the kill; fresh view ${resyncMs} ms after the API was back`,
      );
      expect(resyncMs).toBeLessThanOrEqual(RESYNC_MS);

      // A change made now reaches the map and the agent within 5 s.
      const target = [...map.nodes.values()].find((n) => n.pool !== 'backend' && n.schedulable)!;
      const changedAt = Date.now();
      await execa('kubectl', ['--kubeconfig', lab.kubeconfigPath, 'cordon', target.name]);
      await map.until(
        `the map to show ${target.name} cordoned`,
        () => map.nodes.get(target.name)?.schedulable === false || undefined,
        RESYNC_MS,
      );
      const mapMs = Date.now() - changedAt;
      await waitFor(
        'the agent to export the cordon',
        agentMetrics,
        (t) => unschedulableSeries(target.name, 1).test(t),
        RESYNC_MS,
        {
          intervalMs: 250,
        },
      );
      const agentMs = Date.now() - changedAt;
      console.log(
        `after the restart, a cordon reached the map in ${mapMs} ms and the agent's metrics in ${agentMs} ms`,
      );

      // Nothing stale: no stale reason is left standing, and the map is what the API says.
      const lastStale = feed.messages.filter((m) => m.message.type === 'stale').at(-1);
      expect(
        lastStale === undefined || (lastStale.message.type === 'stale' && lastStale.message.reason === null),
      ).toBe(true);
      expect(feed.messages.at(-1)?.message.type).not.toBe('offline');
      // The map shows the shop's pods: the same as the API lists, re-read as pods come and go.
      const shop = (await requireLabRecord(NAME)).namespace;
      const listed = async () => {
        const pods = await kubectlJson<{ items: { metadata: { name: string } }[] }>(lab.kubeconfigPath, [
          'get',
          'pods',
          '-n',
          shop,
        ]);
        return {
          live: pods.items.map((p) => `${shop}/${p.metadata.name}`).sort(),
          shown: [...map.pods.keys()].filter((k) => k.startsWith(`${shop}/`)).sort(),
        };
      };
      await waitFor(
        'the map to list the shop pods the API lists',
        listed,
        (l) => JSON.stringify(l.live) === JSON.stringify(l.shown),
        RESYNC_MS,
        { intervalMs: 250 },
      );
      await execa('kubectl', ['--kubeconfig', lab.kubeconfigPath, 'uncordon', target.name]);

      // The scenario's checks go on: played to the end as a learner would, it is graded.
      await recordCommand(NAME, 'kubectl get pods -o wide', 'shell');
      await runView('past step 1', (v) => v.steps[0]?.state === 'passed', 240_000);
      await runView('past step 2', (v) => v.steps[1]?.state === 'passed', 240_000);
      const heal = await cli(['node', 'heal', 'backend-1', 'backend-2', '--name', NAME]);
      expect(heal.exitCode, heal.stderr).toBe(0);
      const ended = await runView('ended', (v) => v.id === runId && v.state !== 'running', 300_000);
      expect(ended.state, JSON.stringify(ended.steps)).toBe('passed');
      expect(ended.score).toBeGreaterThan(0);
      const checked = (await readTimeline(runId)).filter(
        (e) => e.type === 'checks' && Date.parse(e.at) > backAt,
      );
      expect(checked.length, 'check results recorded after the restart').toBeGreaterThan(0);
    } finally {
      map.stop();
      feed.stop();
    }
  }, 900_000);

  it('keeps the controller manager and the scheduler running through an outage past their lease', async () => {
    const before = await labProcesses(lab);
    const { pid, killedAt } = await killApiServer();
    await delay(Math.max(0, killedAt + OUTAGE_MS - Date.now()));
    await restartApiServer(pid);
    // The same processes ran through the outage: none exited, none had to be started again.
    const after = await labProcesses(lab);
    for (const component of CONTROLLERS) {
      const was = before.find((p) => p.component === component)?.pid;
      expect(after.find((p) => p.component === component)?.pid, `${component} restarted`).toBe(was);
      expect(isAlive(was!), `${component} running`).toBe(true);
    }
  }, 180_000);

  it('sets every pod Ready again once the nodes are back after KWOK stalled past the grace period', async () => {
    interface PodList {
      items: { metadata: { name: string }; status: { conditions?: { type: string; status: string }[] } }[];
    }
    interface DeploymentList {
      items: {
        metadata: { name: string };
        spec: { replicas?: number };
        status: { availableReplicas?: number };
      }[];
    }
    const notReady = async () =>
      (await kubectlJson<PodList>(lab.kubeconfigPath, ['get', 'pods', '-n', 'shop'])).items
        .filter((p) => !p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
        .map((p) => p.metadata.name);
    const unavailable = async () =>
      (await kubectlJson<DeploymentList>(lab.kubeconfigPath, ['get', 'deployments', '-n', 'shop'])).items
        .filter((d) => (d.status.availableReplicas ?? 0) < (d.spec.replicas ?? 1))
        .map((d) => d.metadata.name);
    const allAvailable = (when: string) =>
      waitFor(`every shop Deployment available ${when}`, unavailable, (u) => u.length === 0, READY_AGAIN_MS, {
        intervalMs: 1_000,
      });
    // The outage of the case before may still be settling (the agent sets its marks right).
    await allAvailable('before the stall');

    const kwok = (await labProcesses(lab)).find((p) => p.component === 'kwok-controller');
    expect(kwok, 'kwokctl pid file of kwok-controller').toBeDefined();
    process.kill(kwok!.pid, 'SIGSTOP');
    try {
      // The fault as the lab sees it: no heartbeats, so the node controller marks the pods.
      await waitFor(
        'the node controller to mark shop pods not Ready',
        notReady,
        (n) => n.length > 0,
        120_000,
        {
          intervalMs: 2_000,
        },
      );
    } finally {
      process.kill(kwok!.pid, 'SIGCONT');
    }
    await waitFor('every shop pod Ready again', notReady, (n) => n.length === 0, READY_AGAIN_MS, {
      intervalMs: 1_000,
    });
    await allAvailable('again');
  }, 300_000);
});
