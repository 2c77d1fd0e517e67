import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ERROR_RATE_ANNOTATION, buildShopView } from '../../../core/traffic/shop-view.ts';

const pod = (
  name: string,
  app: string,
  opts: { ready?: boolean; cpu?: string; annotations?: Record<string, string>; namespace?: string } = {},
): V1Pod => ({
  metadata: { name, namespace: opts.namespace ?? 'boutique', labels: { app }, annotations: opts.annotations },
  spec: { containers: [{ name: 'server', resources: { limits: { cpu: opts.cpu ?? '200m' } } }] },
  status: {
    phase: 'Running',
    podIP: '10.0.0.1',
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
  },
});

const loadgenerator = (users?: string): V1Deployment => ({
  metadata: { name: 'loadgenerator', namespace: 'boutique' },
  spec: {
    selector: {},
    template: {
      spec: {
        containers: [{ name: 'main', env: users === undefined ? [] : [{ name: 'USERS', value: users }] }],
      },
    },
  },
});

const view = (pods: V1Pod[], deployments: V1Deployment[] = []) =>
  buildShopView({
    namespace: 'boutique',
    pods,
    deployments,
    policies: [],
    namespaces: [{ metadata: { name: 'boutique', labels: { team: 'shop' } } }],
  });

describe('the traffic model’s view of the cluster', () => {
  it('groups the shop’s pods by app, with readiness, CPU limit and a bad rollout’s error rate', () => {
    const v = view([
      pod('frontend-a', 'frontend', { cpu: '0.2' }),
      pod('frontend-b', 'frontend', { ready: false }),
      pod('payment-new', 'paymentservice', { annotations: { [ERROR_RATE_ANNOTATION]: '0.05' } }),
      pod('other', 'not-the-shop'),
      pod('frontend-elsewhere', 'frontend', { namespace: 'default' }),
    ]);
    expect(v.pods.frontend?.map((p) => [p.name, p.ready, p.cpuLimitMillicores])).toEqual([
      ['frontend-a', true, 200],
      ['frontend-b', false, 200],
    ]);
    expect(v.pods.paymentservice?.[0]?.errorRate).toBe(0.05);
    expect(v.pods.frontend?.[0]?.errorRate).toBeUndefined();
    expect(Object.keys(v.pods).sort()).toEqual(['frontend', 'paymentservice']);
    expect(v.policies.namespaceLabels).toEqual({ boutique: { team: 'shop' } });
  });

  it('runs USERS per ready loadgenerator pod, 10 when USERS is unset or not a number', () => {
    const two = [
      pod('lg-1', 'loadgenerator'),
      pod('lg-2', 'loadgenerator'),
      pod('lg-3', 'loadgenerator', { ready: false }),
    ];
    expect(view(two, [loadgenerator('25')]).users).toBe(50);
    expect(view(two, [loadgenerator()]).users).toBe(20);
    expect(view(two, [loadgenerator('lots')]).users).toBe(20);
    expect(view([], [loadgenerator('25')]).users).toBe(0);
  });

  it('ignores an error rate that is not a number, and caps one above 1', () => {
    const v = view([
      pod('a', 'cartservice', { annotations: { [ERROR_RATE_ANNOTATION]: 'half' } }),
      pod('b', 'currencyservice', { annotations: { [ERROR_RATE_ANNOTATION]: '3' } }),
    ]);
    expect(v.pods.cartservice?.[0]?.errorRate).toBeUndefined();
    expect(v.pods.currencyservice?.[0]?.errorRate).toBe(1);
  });
});
