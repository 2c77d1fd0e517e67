// The lab API server's audit policy (docs/sharing.md): Metadata-level events for the writes a
// person makes to repair or break the lab (the shop's workloads and config, pod deletions,
// nodes), nothing else. Status updates and every read are left out, so the log stays small even
// with the kubelets (KWOK) and controllers writing all the time.
import { stringify } from 'yaml';

const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];

export const renderAuditPolicy = (shopNamespace: string): string =>
  stringify({
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      // Kubelets and controllers report status: never a person's change.
      { level: 'None', resources: [{ group: '', resources: ['nodes/status', 'pods/status'] }] },
      {
        level: 'None',
        resources: [
          { group: 'apps', resources: ['deployments/status', 'replicasets/status', 'statefulsets/status'] },
        ],
      },
      {
        level: 'Metadata',
        verbs: ['update', 'patch', 'delete'],
        resources: [{ group: '', resources: ['nodes'] }],
      },
      {
        level: 'Metadata',
        verbs: ['delete', 'deletecollection'],
        namespaces: [shopNamespace],
        resources: [{ group: '', resources: ['pods'] }],
      },
      {
        level: 'Metadata',
        verbs: WRITES,
        namespaces: [shopNamespace],
        resources: [
          {
            group: 'apps',
            resources: [
              'deployments',
              'deployments/scale',
              'statefulsets',
              'statefulsets/scale',
              'daemonsets',
            ],
          },
          { group: '', resources: ['services', 'configmaps', 'secrets'] },
          { group: 'networking.k8s.io', resources: ['networkpolicies'] },
        ],
      },
      { level: 'None' },
    ],
  });

/** The apiserver flags that write the log as JSON lines to `logPath` (kind; kwokctl sets its own). */
export const auditLogFlags = (policyPath: string, logPath: string): Record<string, string> => ({
  'audit-policy-file': policyPath,
  'audit-log-path': logPath,
  'audit-log-format': 'json',
  'audit-log-maxsize': '50',
  'audit-log-maxbackup': '1',
});
