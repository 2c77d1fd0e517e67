// The kind lab's API server audit log (docs/sharing.md): the lab's audit dir on the host is
// mounted into the first control-plane node, and a ClusterConfiguration patch hands the API
// server the policy there and has it write the log there, where the host reads it.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { auditLogFlags } from '../../kube/audit-policy.ts';
import type { KindConfig } from '../../topology/render-kind.ts';

/** Where the audit files live inside the control-plane node (and its API server's pod). */
export const KIND_AUDIT_DIR = '/etc/kubernetes/kartstream-audit';

export const kindAuditFiles = (labDir: string) => ({
  dir: join(labDir, 'audit'),
  policy: join(labDir, 'audit', 'policy.yaml'),
  log: join(labDir, 'audit', 'audit.log'),
});

// kind v0.33's node image runs kubeadm v1beta4, whose extraArgs are a list of name/value pairs.
const clusterConfigurationPatch = (): string =>
  stringify({
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'ClusterConfiguration',
    apiServer: {
      extraArgs: Object.entries(
        auditLogFlags(`${KIND_AUDIT_DIR}/policy.yaml`, `${KIND_AUDIT_DIR}/audit.log`),
      ).map(([name, value]) => ({ name, value })),
      extraVolumes: [
        {
          name: 'kartstream-audit',
          hostPath: KIND_AUDIT_DIR,
          mountPath: KIND_AUDIT_DIR,
          pathType: 'DirectoryOrCreate',
        },
      ],
    },
  });

/** The kind config with the audit log switched on in its first control-plane node. */
export const withKindAudit = (config: KindConfig, labDir: string): KindConfig => {
  const first = config.nodes.findIndex((n) => n.role === 'control-plane');
  return {
    ...config,
    nodes: config.nodes.map((node, i) =>
      i === first
        ? {
            ...node,
            extraMounts: [
              ...(node.extraMounts ?? []),
              { hostPath: kindAuditFiles(labDir).dir, containerPath: KIND_AUDIT_DIR },
            ],
            kubeadmConfigPatches: [...(node.kubeadmConfigPatches ?? []), clusterConfigurationPatch()],
          }
        : node,
    ),
  };
};
