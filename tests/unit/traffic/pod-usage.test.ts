import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { MODEL_CPU_ANNOTATION } from '../../../core/backends/sim/metrics-server-config.ts';
import { usageUpdates } from '../../../core/traffic/pod-usage.ts';

const pod = (name: string, carried?: string, deleting = false, fault?: string): V1Pod => ({
  metadata: {
    name,
    namespace: 'shop',
    ...(fault ? { labels: { 'kartstream.dev/fault': fault } } : {}),
    annotations: carried === undefined ? {} : { [MODEL_CPU_ANNOTATION]: carried },
    ...(deleting ? { deletionTimestamp: new Date() } : {}),
  },
});

describe("the pods' simulated CPU (what kubectl top and an HPA see)", () => {
  it('writes every pod the model has a figure for that carries none yet, in millicores', () => {
    expect(usageUpdates([pod('frontend-a'), pod('cart-b')], { 'frontend-a': 31.6, 'cart-b': 0 })).toEqual([
      { pod: 'frontend-a', value: '32m' },
      // kwok would read 0 as "no usage"; the idle floor is at least 1m
      { pod: 'cart-b', value: '1m' },
    ]);
  });

  it('rewrites a pod only when its CPU moved noticeably: 15 % and at least 3m', () => {
    const pods = [pod('a', '100m'), pod('b', '100m'), pod('c', '10m'), pod('d', '10m'), pod('e', '0.1')];
    expect(usageUpdates(pods, { a: 114, b: 116, c: 12, d: 14, e: 100 })).toEqual([
      { pod: 'b', value: '116m' },
      { pod: 'd', value: '14m' },
    ]);
  });

  it('leaves alone pods the model has no figure for (not ready, not the shop) and pods being deleted', () => {
    expect(usageUpdates([pod('gone', undefined, true), pod('not-ready')], { gone: 50 })).toEqual([]);
  });

  it('leaves alone a pod with a fault, whose delayed fault stage an update would start afresh', () => {
    expect(
      usageUpdates([pod('crashing', '10m', false, 'crashloop'), pod('fine', '10m')], {
        crashing: 80,
        fine: 80,
      }),
    ).toEqual([{ pod: 'fine', value: '80m' }]);
  });
});
