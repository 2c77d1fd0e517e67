// The sim shop's usage and logs follow its traffic, on one real sim lab with kubectl (from PATH)
// as the independent client: tripling the loadgenerator's users raises the frontend's CPU in
// `kubectl top`; a HorizontalPodAutoscaler created with kubectl (the control plane's own HPA
// controller) scales the frontend up, and the load spread over the new replicas brings each
// one's CPU down; a NetworkPolicy that cuts cartservice off redis-cart puts Online Boutique's own
// error lines in `kubectl logs` of cartservice and the frontend.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simBinaryPath } from '../../core/backends/sim/binaries.ts';
import { cpuMillis } from '../../core/kube/quantity.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, useTempHome } from './helpers/lab-env.ts';

const NAME = 'it-usage';
const METRICS_SERVER = simBinaryPath('metrics-server');

const CUT_OFF_REDIS = join(import.meta.dirname, '../fixtures/traffic/redis-only-from-frontend.yaml');

describe.skipIf(!existsSync(METRICS_SERVER))(
  `usage and logs follow the traffic (needs ${METRICS_SERVER}: npx kartstream sim install)`,
  () => {
    const temp = useTempHome();
    let kubeconfig = '';
    const kubectl = async (args: string[], input?: string) =>
      String(
        (
          await execa('kubectl', ['--kubeconfig', kubeconfig, '-n', 'shop', ...args], {
            input,
            timeout: 60_000,
          })
        ).stdout,
      );

    /** `kubectl top pod -l app=frontend`: CPU millicores by pod; throws while there are no figures. */
    const frontendTop = async (): Promise<Map<string, number>> => {
      const rows = (await kubectl(['top', 'pod', '-l', 'app=frontend', '--no-headers'])).trim().split('\n');
      return new Map(
        rows.filter(Boolean).map((row) => {
          const [name, cpu] = row.trim().split(/\s+/);
          return [name ?? '', cpuMillis(cpu) ?? NaN];
        }),
      );
    };

    beforeAll(async () => {
      const up = await cli(['up', '--backend', 'sim', '--name', NAME]);
      expect(up.exitCode, up.stderr + up.stdout).toBe(0);
      kubeconfig = (await labContext(await requireLabRecord(NAME))).kubeconfigPath;
    });
    afterAll(async () => {
      await cli(['down', '--name', NAME]);
      temp.cleanup();
    });

    it('kubectl top shows the frontend working harder when the loadgenerator runs three times the users', async () => {
      // 10 users: about 30m of the frontend's 100m request
      const before = await waitFor(
        'kubectl top to show the frontend at its 10-user load',
        frontendTop,
        (top) => top.size === 1 && [...top.values()].every((cpu) => cpu > 5 && cpu < 55),
        180_000,
        { intervalMs: 3_000 },
      );
      await kubectl(['set', 'env', 'deployment/loadgenerator', 'USERS=30']);
      // 30 users: about 80m. The figure climbs over metrics-server's window, so the wait is for
      // the whole rise, not the first reading past 60m (CI25: 42m, then 62m on the way up).
      const floor = Math.max(60, Math.max(...before.values()) + 20);
      await waitFor(
        `kubectl top to show the frontend above ${floor}m`,
        frontendTop,
        (top) => [...top.values()].some((cpu) => cpu > floor),
        150_000,
        { intervalMs: 3_000 },
      );
    }, 360_000);

    it('an HPA on the frontend (CPU 50 %) scales it out, and the load spread over the replicas brings each one down', async () => {
      await kubectl(['autoscale', 'deployment/frontend', '--cpu-percent=50', '--min=1', '--max=3']);
      const hpa = await waitFor(
        'the HPA to ask for more than one frontend',
        async () =>
          JSON.parse(await kubectl(['get', 'hpa', 'frontend', '-o', 'json'])) as {
            apiVersion: string;
            status?: { desiredReplicas?: number; currentMetrics?: unknown[] };
          },
        (h) => (h.status?.desiredReplicas ?? 0) >= 2,
        150_000,
        { intervalMs: 3_000 },
      );
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      await kubectl(['rollout', 'status', 'deployment/frontend', '--timeout=120s']);
      const spread = await waitFor(
        'kubectl top to show every frontend replica under 60m',
        frontendTop,
        (top) => top.size >= 2 && [...top.values()].every((cpu) => cpu < 60),
        180_000,
        { intervalMs: 3_000 },
      );
      expect(spread.size).toBeGreaterThanOrEqual(2);
    }, 480_000);

    it("a NetworkPolicy cutting cartservice off redis-cart puts the services' own error lines in kubectl logs", async () => {
      await kubectl(['apply', '-f', CUT_OFF_REDIS]);
      // The policy's own signature: redis-cart answers nothing, so StackExchange.Redis times out
      // (a refused connection, e.g. while redis-cart has no ready pod, reads UnableToConnect).
      const timeout =
        /Error status code 'FailedPrecondition' with detail 'Can't access cart storage\. StackExchange\.Redis\.RedisTimeoutException: .*serverEndpoint: redis-cart:6379' raised\./;
      const cart = await waitFor(
        'kubectl logs deploy/cartservice to show the cart storage timing out',
        () => kubectl(['logs', 'deploy/cartservice']),
        (log) => timeout.test(log),
        60_000,
        { intervalMs: 2_000 },
      );
      // the start-up lines are still there, before the errors
      expect(cart.indexOf('Now listening on')).toBeLessThan(cart.indexOf("Can't access cart storage"));
      const frontendLines = await waitFor(
        'kubectl logs of a frontend pod to show the request error',
        async () => {
          const pods = (await kubectl(['get', 'pods', '-l', 'app=frontend', '-o', 'name']))
            .split('\n')
            .filter(Boolean);
          return (await Promise.all(pods.map((p) => kubectl(['logs', p])))).join('\n');
        },
        (log) => log.includes('could not retrieve cart: rpc error: code = FailedPrecondition'),
        60_000,
        { intervalMs: 2_000 },
      );
      const line = frontendLines.split('\n').find((l) => l.includes('could not retrieve cart'))!;
      expect(JSON.parse(line)).toMatchObject({ message: 'request error', severity: 'error' });
      // rate-limited: a handful of lines, not one per failed request
      const storage = cart.split('\n').filter((l) => l.includes("Can't access cart storage")).length;
      expect(storage).toBeLessThan(20);
    }, 180_000);
  },
);
