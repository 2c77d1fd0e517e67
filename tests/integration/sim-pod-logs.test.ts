// Pod logs on a real sim lab: the lab agent writes each shop container's lines and KWOK serves
// them, so kubectl (from PATH, an independent client) reads them as from a kubelet, and the core
// server's `logs.*` procedures and `kartstream logs` read every pod of a Deployment through the
// same API.
import { readdirSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, httpLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import { execa } from 'execa';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../core/contract/router.ts';
import type { LogLineView } from '../../core/contract/log-wire-types.ts';
import type { WireError } from '../../core/contract/wire-types.ts';
import { simBackend } from '../../core/backends/sim/backend.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { startCoreServer, type CoreServer } from '../../core/server/http-server.ts';
import { createServices, type CreatedServices } from '../../core/server/services/index.ts';
import { present, waitFor, wakeup } from '../helpers/wait.ts';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

const NAME = 'it-logs';
let kubeconfig = '';
let labDir = '';
let created: CreatedServices;
let server: CoreServer;
let wsClient: ReturnType<typeof createWSClient>;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;

const kubectl = async (args: string[]) => {
  const result = await execa('kubectl', ['--kubeconfig', kubeconfig, '-n', 'shop', ...args], {
    reject: false,
    timeout: 60_000,
  });
  return `${String(result.stdout)}\n${String(result.stderr)}`;
};

const podNames = async (app: string) =>
  (await kubectl(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}']))
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .sort();

describe('pod logs in a sim lab', () => {
  const temp = useTempHome();

  beforeAll(async () => {
    const up = await cli(['up', '--backend', 'sim', '--name', NAME]);
    expect(up.stderr + up.stdout).not.toMatch(/^error:/m);
    expect(up.exitCode).toBe(0);
    const lab = await labContext(await requireLabRecord(NAME));
    kubeconfig = lab.kubeconfigPath;
    labDir = lab.dir;
    created = createServices({ defaultLab: NAME, desktop: false });
    server = await startCoreServer({
      services: created.services,
      rendererDir: mkdtempSync(join(tmpdir(), 'ks-r-')),
    });
    const base = `127.0.0.1:${server.port}/t/${server.token}`;
    wsClient = createWSClient({
      url: `ws://${base}/ws`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    api = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: wsLink({ client: wsClient }),
          false: httpLink({ url: `http://${base}/trpc` }),
        }),
      ],
    });
  });

  afterAll(async () => {
    wsClient?.close();
    await server?.close();
    await created?.close();
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it("shows the frontend's start-up lines to `kubectl logs deploy/frontend`", async () => {
    const out = await waitFor(
      'kubectl logs deploy/frontend to show the start-up lines',
      () => kubectl(['logs', 'deploy/frontend']),
      (text): text is string => text.includes('starting server on :8080'),
      60_000,
    );
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string; severity: string });
    expect(lines.map((l) => l.message)).toEqual([
      'Tracing disabled.',
      'Profiling disabled.',
      'starting server on :8080',
    ]);
    expect(await kubectl(['logs', 'deploy/redis-cart'])).toContain('Ready to accept connections tcp');
  });

  it("prints every pod's lines with `kartstream logs`, and follows a pod that starts later", async () => {
    const pods = await podNames('shippingservice');
    const once = await cli(['logs', 'shippingservice', '--name', NAME]);
    expect(once.exitCode).toBe(0);
    expect(once.stdout).toContain(`[pod/${pods[0]}/server] `);
    expect(once.stdout).toContain('Shipping Service listening on port :50051');

    const follow = execa(
      process.execPath,
      [join(REPO, 'bin/kartstream.js'), 'logs', 'shippingservice', '--follow', '--name', NAME],
      {
        cwd: REPO,
        reject: false,
        timeout: 120_000,
      },
    );
    let printed = '';
    const lines = wakeup();
    follow.stdout?.on('data', (chunk: Buffer) => ((printed += chunk.toString('utf8')), lines.wake()));
    try {
      await waitFor(
        'the followed start-up line',
        () => printed,
        (t) => t.includes('listening on port'),
        30_000,
        { wakeup: lines },
      );
      await kubectl(['scale', 'deployment/shippingservice', '--replicas=2']);
      const started = await waitFor(
        'a second shippingservice pod',
        () => podNames('shippingservice'),
        (p): p is string[] => p.length === 2,
        60_000,
      );
      const added = started.find((p) => !pods.includes(p)) ?? '';
      await waitFor(
        `kartstream logs --follow to print ${added}'s start-up line`,
        () => printed,
        (t) => new RegExp(`^\\[pod/${added}/server\\] .*listening on port`, 'm').test(t),
        60_000,
        { wakeup: lines },
      );
    } finally {
      follow.kill('SIGINT');
    }
    expect((await follow).exitCode).toBe(0);
  });

  it('keeps the log files private', async () => {
    const dir = join(labDir, 'pod-logs', 'shop');
    await waitFor(
      'a pod log dir',
      () => readdirSync(dir),
      (d): d is string[] => d.length >= 11,
      30_000,
    );
    const pod = readdirSync(dir).find((d) => d.startsWith('frontend-')) ?? '';
    expect(statSync(join(dir, pod)).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, pod, 'server.log')).mode & 0o777).toBe(0o600);
  });

  it('returns lines of every pod of a Deployment from the logs procedure, and follows new pods', async () => {
    const received: LogLineView[] = [];
    const events = wakeup();
    const subscription = api.logs.follow.subscribe(
      { lab: NAME, deployment: 'checkoutservice' },
      { onData: (m) => (received.push(...m.lines), events.wake()), onError: () => events.wake() },
    );
    try {
      await kubectl(['scale', 'deployment/checkoutservice', '--replicas=3']);
      const pods = await waitFor(
        '3 checkoutservice pods',
        () => podNames('checkoutservice'),
        (p): p is string[] => p.length === 3,
        60_000,
      );
      const listening = (lines: LogLineView[]) =>
        [
          ...new Set(lines.filter((l) => l.text.includes('starting to listen on tcp')).map((l) => l.pod)),
        ].sort();
      const logs = await waitFor(
        'logs.deployment to return the start-up lines of all 3 pods',
        () => api.logs.deployment.query({ lab: NAME, deployment: 'checkoutservice' }),
        (v): v is typeof v => JSON.stringify(listening(v.lines)) === JSON.stringify(pods),
        60_000,
      );
      expect(logs.pods).toEqual(pods);
      expect(logs.errors).toEqual([]);
      await waitFor(
        'the followed stream to carry lines of all 3 pods',
        () => listening(received),
        (p): p is string[] => JSON.stringify(p) === JSON.stringify(pods),
        60_000,
        { intervalMs: 1_000, wakeup: events },
      );
    } finally {
      subscription.unsubscribe();
    }
  });

  it("shows a crash-looping pod's last words with `kubectl logs --previous`, and follows its restarts", async () => {
    const received: LogLineView[] = [];
    const events = wakeup();
    const subscription = api.logs.follow.subscribe(
      { lab: NAME, deployment: 'paymentservice' },
      { onData: (m) => (received.push(...m.lines), events.wake()), onError: () => events.wake() },
    );
    const started = () =>
      new Set(received.filter((l) => l.text.includes('gRPC server started')).map((l) => l.at)).size;
    await waitFor('the followed start-up line of paymentservice', started, (n) => n === 1, 30_000, {
      wakeup: events,
    });
    const lab = await labContext(await requireLabRecord(NAME));
    expect(await simBackend().breakPods(lab, 'shop', 'app=paymentservice', 'crashloop')).toBe(1);
    try {
      // Each restart (one every 10 s) starts a new attempt: its start-up lines reach the stream.
      await waitFor('the followed stream to carry a restarted attempt', started, (n) => n >= 2, 60_000, {
        intervalMs: 1_000,
        wakeup: events,
      });
    } finally {
      subscription.unsubscribe();
    }
    // The crash words of an attempt, once each (following again repeats nothing).
    const crashes = received.filter((l) => l.text.startsWith('TypeError:')).map((l) => l.at);
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes.length).toBe(new Set(crashes).size);
    const previous = await waitFor(
      'kubectl logs --previous to show the crash',
      () => kubectl(['logs', '--previous', 'deploy/paymentservice']),
      (text): text is string => text.includes('TypeError'),
      60_000,
    );
    expect(previous).toContain('PaymentService gRPC server started on port 50051');
    expect(previous.indexOf('TypeError')).toBeGreaterThan(
      previous.indexOf('PaymentService gRPC server started'),
    );
    const logs = await api.logs.deployment.query({ lab: NAME, deployment: 'paymentservice', previous: true });
    expect(logs.lines.some((l) => l.text.includes('TypeError') && l.pod === logs.pods[0])).toBe(true);
    const printed = await cli(['logs', 'paymentservice', '--previous', '--name', NAME]);
    expect(printed.stdout).toMatch(new RegExp(`^\\[pod/${logs.pods[0]}/server\\] .*TypeError`, 'm'));
  });

  it('names a Deployment that does not exist, in the API and the CLI', async () => {
    const printed = await cli(['logs', 'nope', '--name', NAME]);
    expect(printed.exitCode).toBe(1);
    expect(printed.stderr).toContain('no Deployment nope in namespace shop');
    const error = await api.logs.deployment.query({ lab: NAME, deployment: 'nope' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCClientError);
    const wire = ((error as TRPCClientError<AppRouter>).data as { wire?: WireError }).wire;
    expect(wire?.code).toBe('not-found');
    expect(wire?.message).toContain('no Deployment nope in namespace shop');
    expect(present(wire?.fix)).toBe(true);
  });
});
