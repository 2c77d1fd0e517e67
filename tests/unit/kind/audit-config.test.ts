// The kind lab's audit log: the rendered kind config mounts the lab's audit dir into the first
// control plane and hands kube-apiserver (kubeadm v1beta4) the policy and log path there.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KIND_AUDIT_DIR, kindAuditFiles, withKindAudit } from '../../../core/backends/kind/audit.ts';
import { labKindConfig } from '../../../core/backends/kind/nodes.ts';
import { renderAuditPolicy } from '../../../core/kube/audit-policy.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';

describe('the kind audit config', () => {
  it('mounts the audit dir into the first control plane only and patches its API server', async () => {
    const topology = await loadTopology();
    const config = withKindAudit(labKindConfig(topology, 'lab1'), '/home/u/labs/lab1');
    const [first, ...rest] = config.nodes;
    expect(first?.role).toBe('control-plane');
    expect(first?.extraMounts).toEqual([
      { hostPath: kindAuditFiles('/home/u/labs/lab1').dir, containerPath: KIND_AUDIT_DIR },
    ]);
    expect(rest.every((n) => n.extraMounts === undefined)).toBe(true);
    const patch = parse(first?.kubeadmConfigPatches?.at(-1) ?? '') as {
      apiVersion: string;
      kind: string;
      apiServer: {
        extraArgs: { name: string; value: string }[];
        extraVolumes: { hostPath: string; mountPath: string }[];
      };
    };
    expect(patch).toMatchObject({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration' });
    const args = Object.fromEntries(patch.apiServer.extraArgs.map((a) => [a.name, a.value]));
    expect(args).toMatchObject({
      'audit-policy-file': `${KIND_AUDIT_DIR}/policy.yaml`,
      'audit-log-path': `${KIND_AUDIT_DIR}/audit.log`,
      'audit-log-format': 'json',
    });
    expect(patch.apiServer.extraVolumes).toEqual([
      expect.objectContaining({ hostPath: KIND_AUDIT_DIR, mountPath: KIND_AUDIT_DIR }),
    ]);
    // Workers keep their own (taint) patches untouched.
    expect(rest.filter((n) => n.role === 'worker').every((n) => n.kubeadmConfigPatches?.length === 1)).toBe(
      true,
    );
  });

  it('audits the shop, nodes and scales at Metadata level, and nothing else', () => {
    const policy = parse(renderAuditPolicy('shop')) as {
      omitStages: string[];
      rules: { level: string; namespaces?: string[]; resources?: { resources: string[] }[] }[];
    };
    expect(policy.omitStages).toEqual(['RequestReceived']);
    expect(policy.rules.at(-1)).toEqual({ level: 'None' });
    expect(policy.rules.filter((r) => r.level !== 'None').every((r) => r.level === 'Metadata')).toBe(true);
    const audited = policy.rules
      .filter((r) => r.level === 'Metadata')
      .flatMap((r) => r.resources?.flatMap((g) => g.resources) ?? []);
    expect(audited).toEqual(expect.arrayContaining(['deployments', 'deployments/scale', 'nodes', 'pods']));
    expect(policy.rules.filter((r) => r.namespaces).every((r) => r.namespaces?.join() === 'shop')).toBe(true);
  });
});
