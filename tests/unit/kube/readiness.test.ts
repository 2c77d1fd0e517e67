// When a Deployment counts as available (up may go on) and as settled (a rollback is done).
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { isDeploymentAvailable, isDeploymentSettled } from '../../../core/kube/readiness.ts';

const deployment = (wanted: number, status: V1Deployment['status'], generation = 2): V1Deployment => ({
  metadata: { name: 'cartservice', generation },
  spec: { replicas: wanted, selector: {}, template: {} },
  status,
});

describe('Deployment readiness', () => {
  it('is available but not settled while a scale-down still counts a surplus pod', () => {
    const d = deployment(1, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect([isDeploymentAvailable(d), isDeploymentSettled(d)]).toEqual([true, false]);
  });

  it('is available but not settled while an old ReplicaSet pod is still there beside the updated one', () => {
    const d = deployment(1, { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1 });
    expect([isDeploymentAvailable(d), isDeploymentSettled(d)]).toEqual([true, false]);
  });

  it('is neither while no updated pod is available', () => {
    const d = deployment(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 });
    expect([isDeploymentAvailable(d), isDeploymentSettled(d)]).toEqual([false, false]);
  });

  it('is neither before the controller has seen the latest change', () => {
    const d = deployment(1, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 });
    expect([isDeploymentAvailable(d), isDeploymentSettled(d)]).toEqual([false, false]);
  });

  it('is both when exactly its replicas run, updated and available', () => {
    const d = deployment(3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect([isDeploymentAvailable(d), isDeploymentSettled(d)]).toEqual([true, true]);
  });

  it('is settled at zero replicas only when no pod is left', () => {
    expect(isDeploymentSettled(deployment(0, { observedGeneration: 2, replicas: 1 }))).toBe(false);
    expect(isDeploymentSettled(deployment(0, { observedGeneration: 2 }))).toBe(true);
  });
});
