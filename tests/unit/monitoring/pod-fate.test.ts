// The pod-fate rule: whether sim's host Prometheus/Alertmanager should answer, read from their
// pods as the watch store holds them (the integration test fails a real node: monitoring-pods).
import { describe, expect, it } from 'vitest';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { WatchStore } from '../../../core/kube/watch-store.ts';
import { podFate } from '../../../core/monitoring/pod-fate.ts';

const deployment = (name: string): V1Deployment => ({ metadata: { name, namespace: 'monitoring' } });
const pod = (app: string, over: { phase?: string; ready?: boolean; deleting?: boolean } = {}): V1Pod => ({
  metadata: {
    name: `${app}-x`,
    namespace: 'monitoring',
    labels: { app },
    ...(over.deleting ? { deletionTimestamp: new Date() } : {}),
  },
  status: {
    phase: over.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: over.ready === false ? 'False' : 'True' }],
  },
});
const store = (deployments: V1Deployment[], pods: V1Pod[]) =>
  ({ deployments: () => deployments, pods: () => pods }) as unknown as WatchStore;

describe('podFate', () => {
  it('lets a process answer while one of its pods is Running and Ready', () => {
    const fate = podFate(
      store([deployment('prometheus'), deployment('alertmanager')], [pod('prometheus'), pod('alertmanager')]),
    );
    expect(fate).toEqual({ prometheus: true, alertmanager: true });
  });

  it.each([
    ['its node failed (Ready False)', pod('prometheus', { ready: false })],
    ['it is Pending', pod('prometheus', { phase: 'Pending', ready: false })],
    ['it is being evicted (deleting)', pod('prometheus', { deleting: true })],
  ])('silences Prometheus when its only pod is not running: %s', (_why, p) => {
    expect(podFate(store([deployment('prometheus')], [p])).prometheus).toBe(false);
  });

  it('silences a process whose Deployment was scaled to zero (no pod at all)', () => {
    expect(podFate(store([deployment('alertmanager')], [])).alertmanager).toBe(false);
  });

  it('leaves a process alone before its Deployment exists (up has not deployed it yet)', () => {
    expect(podFate(store([], []))).toEqual({});
  });
});
