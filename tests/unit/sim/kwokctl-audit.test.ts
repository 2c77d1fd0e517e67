// The sim lab's control plane enforces RBAC (participants' ServiceAccounts get only their role's
// rights) and writes the audit log when given the policy.
import { describe, expect, it } from 'vitest';
import { renderKwokctlConfiguration } from '../../../core/backends/sim/kwokctl-config.ts';

const binaries = {
  kubeApiserver: '/b/kube-apiserver',
  kubeControllerManager: '/b/kcm',
  kubeScheduler: '/b/ks',
  etcd: '/b/etcd',
  kwok: '/b/kwok',
  kubectl: '/b/kubectl',
};

const componentPorts = {
  etcdPort: 20001,
  etcdPeerPort: 20002,
  kwokControllerPort: 20003,
  kubeControllerManagerPort: 20004,
  kubeSchedulerPort: 20005,
  metricsServerPort: 20006,
};

describe('the kwokctl configuration', () => {
  it('names every port itself, so kwokctl picks none (it would pick the same ones for two labs made at once)', () => {
    const { options } = renderKwokctlConfiguration({ binaries, kubeApiserverPort: 6443, componentPorts });
    expect(options).toMatchObject({ kubeApiserverPort: 6443, ...componentPorts });
  });

  it('turns on RBAC and the audit policy', () => {
    const { options } = renderKwokctlConfiguration({
      binaries,
      kubeApiserverPort: 6443,
      componentPorts,
      auditPolicyFile: '/lab/audit-policy.yaml',
    });
    expect(options).toMatchObject({ kubeAuthorization: true, kubeAuditPolicy: '/lab/audit-policy.yaml' });
  });

  it('leaves the audit policy out when none is given', () => {
    expect(
      renderKwokctlConfiguration({ binaries, kubeApiserverPort: 6443, componentPorts }).options,
    ).not.toHaveProperty('kubeAuditPolicy');
  });

  it('runs the controller manager and the scheduler without leader election (they would exit for good after 10 s without the API)', () => {
    const { componentsPatches } = renderKwokctlConfiguration({
      binaries,
      kubeApiserverPort: 6443,
      componentPorts,
    });
    for (const component of ['kube-controller-manager', 'kube-scheduler'])
      expect(componentsPatches.find((p) => p.name === component)?.extraArgs).toContainEqual({
        key: 'leader-elect',
        value: 'false',
      });
  });
});
