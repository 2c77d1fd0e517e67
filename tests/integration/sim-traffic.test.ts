// The sim shop behaves: the loadgenerator's users drive the traffic model in the lab agent, the
// lab's real Prometheus scrapes Istio's request metrics, and a NetworkPolicy that cuts cartservice
// off redis-cart (applied with kubectl, as a learner would) turns into cart errors and the
// CheckoutErrorsHigh alert while every pod stays Running; removing it heals the shop.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabAlert } from '../../core/monitoring/lab-alerts.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, useTempHome } from './helpers/lab-env.ts';

const NAME = 'traffic-lab';

/** The single value of an instant PromQL query through `kartstream query`, or undefined when empty. */
const value = async (promql: string): Promise<number | undefined> => {
  const r = await cli(['query', promql, '--name', NAME, '-o', 'json']);
  expect(r.stderr).not.toMatch(/^error:/m);
  const result = JSON.parse(r.stdout) as { result: { value: [number, string] }[] };
  return result.result[0] ? Number(result.result[0].value[1]) : undefined;
};

const alerts = async (): Promise<LabAlert[]> =>
  JSON.parse((await cli(['alerts', '--name', NAME, '-o', 'json'])).stdout) as LabAlert[];

const CUT_OFF_REDIS = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: redis-only-from-frontend
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: redis-cart
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: frontend
`;

describe('traffic in a sim lab', () => {
  const temp = useTempHome();
  let kubeconfig = '';
  const kubectl = (args: string[], input?: string) =>
    execa('kubectl', ['--kubeconfig', kubeconfig, ...args], { input, timeout: 60_000 });

  beforeAll(async () => {
    const up = await cli(['up', '--name', NAME]);
    expect(up.stderr).not.toMatch(/^error:/m);
    kubeconfig = (await labContext(await requireLabRecord(NAME))).kubeconfigPath;
    // more shoppers, so a minute holds enough checkouts to judge
    await kubectl(['-n', 'shop', 'set', 'env', 'deployment/loadgenerator', 'USERS=60']);
    await kubectl(['-n', 'shop', 'rollout', 'status', 'deployment/loadgenerator', '--timeout=120s']);
  });
  afterAll(async () => {
    await cli(['down', '--name', NAME]);
    temp.cleanup();
  });

  it('serves Istio request metrics for the shop’s calls, all successful while the shop is healthy', async () => {
    const rate = await waitFor(
      'requests into the frontend in Prometheus',
      () => value('sum(rate(istio_requests_total{destination_workload="frontend"}[30s]))'),
      (v) => v !== undefined && v > 0,
      120_000,
      { intervalMs: 3_000 },
    );
    expect(rate).toBeGreaterThan(0);
    // checkout reaches payment, cart reaches redis... every edge of the call graph is there
    const edges = await value(
      'count(sum by (source_workload, destination_workload) (istio_requests_total{reporter="destination"}))',
    );
    expect(edges).toBeGreaterThanOrEqual(15);
    expect(await value('sum(istio_requests_total{response_code!="200"})')).toBeUndefined();
  }, 180_000);

  it('turns a NetworkPolicy between cartservice and redis into cart errors and a checkout alert, pods all Running', async () => {
    await kubectl(['apply', '-f', '-'], CUT_OFF_REDIS);
    const cartErrors = await waitFor(
      'cartservice answering FAILED_PRECONDITION in Prometheus',
      () =>
        value(
          'sum(rate(istio_requests_total{destination_workload="cartservice",grpc_response_status="9"}[30s]))',
        ),
      (v) => v !== undefined && v > 0,
      120_000,
      { intervalMs: 3_000 },
    );
    expect(cartErrors).toBeGreaterThan(0);
    const firing = await waitFor(
      'CheckoutErrorsHigh firing in `kartstream alerts`',
      alerts,
      (list) => list.some((a) => a.name === 'CheckoutErrorsHigh' && a.state === 'firing'),
      240_000,
      { intervalMs: 5_000 },
    );
    expect(firing.find((a) => a.name === 'CheckoutErrorsHigh')?.summary).toMatch(/of checkouts are failing/);
    // the symptom is not a down pod
    const pods = JSON.parse(String((await kubectl(['-n', 'shop', 'get', 'pods', '-o', 'json'])).stdout)) as {
      items: { status: { phase: string } }[];
    };
    expect(pods.items.every((p) => p.status.phase === 'Running')).toBe(true);
  }, 420_000);

  it('heals when the policy is removed: checkouts succeed again', async () => {
    await kubectl(['-n', 'shop', 'delete', 'networkpolicy', 'redis-only-from-frontend']);
    await waitFor(
      'the checkout error ratio back to 0',
      () => value('kartstream:checkout_errors:ratio_rate30s'),
      (v) => v === 0,
      180_000,
      { intervalMs: 5_000 },
    );
  }, 240_000);
});
