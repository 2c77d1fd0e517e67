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

describe('the kwokctl configuration', () => {
  it('turns on RBAC and the audit policy', () => {
    const { options } = renderKwokctlConfiguration({
      binaries,
      kubeApiserverPort: 6443,
      auditPolicyFile: '/lab/audit-policy.yaml',
    });
    expect(options).toMatchObject({ kubeAuthorization: true, kubeAuditPolicy: '/lab/audit-policy.yaml' });
  });

  it('leaves the audit policy out when none is given', () => {
    expect(renderKwokctlConfiguration({ binaries, kubeApiserverPort: 6443 }).options).not.toHaveProperty(
      'kubeAuditPolicy',
    );
  });
});
