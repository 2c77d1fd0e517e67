// The Kubernetes objects that give one invited person their own identity in a lab (issue #17,
// docs/sharing.md): a ServiceAccount in the team's namespace, annotated with the person's name so
// the audit log can be read back to them, and RBAC following their role. Roles that may act get
// the built-in `edit` rights on the shop's namespace (scale, patch, delete pods, apply) and may
// cordon nodes; the others get `view` and may read nodes.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ROLE_CAPABILITIES, type Role } from '../contract/roles.ts';
import { PERSON_ANNOTATION, TEAM_NAMESPACE, personServiceAccount } from '../contract/team-identity.ts';

const MANAGED = { 'app.kubernetes.io/managed-by': 'kartstream' };
/** The ClusterRoles of the node rights, shared by every person of a kind (rendered with the team's). */
export const NODE_CLUSTER_ROLE = {
  act: 'kartstream-team-nodes-act',
  read: 'kartstream-team-nodes-read',
} as const;

export const mayActInCluster = (role: Role): boolean => ROLE_CAPABILITIES[role].includes('act');

/** The names of a person's objects, for creating and deleting them alike. */
export const personObjectNames = (person: string) => {
  const account = personServiceAccount(person);
  return { account, shopBinding: `kartstream-${account}`, nodeBinding: `kartstream-${account}-nodes` };
};

/** The namespace and the two node ClusterRoles every person's bindings refer to. */
export const renderTeamBase = (): KubernetesObject[] => [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: TEAM_NAMESPACE, labels: MANAGED } },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: NODE_CLUSTER_ROLE.read, labels: MANAGED },
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }],
  } as KubernetesObject,
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: NODE_CLUSTER_ROLE.act, labels: MANAGED },
    // patch: cordon and uncordon.
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] }],
  } as KubernetesObject,
];

/** One person's ServiceAccount and bindings, for their role, on the shop's namespace. */
export const renderPersonIdentity = (
  person: string,
  role: Role,
  shopNamespace: string,
): KubernetesObject[] => {
  const names = personObjectNames(person);
  const acts = mayActInCluster(role);
  const subject = { kind: 'ServiceAccount', name: names.account, namespace: TEAM_NAMESPACE };
  const labels = { ...MANAGED, 'kartstream.dev/role': role };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: names.account,
        namespace: TEAM_NAMESPACE,
        labels,
        annotations: { [PERSON_ANNOTATION]: person },
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: names.shopBinding, namespace: shopNamespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: acts ? 'edit' : 'view' },
      subjects: [subject],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: names.nodeBinding, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: acts ? NODE_CLUSTER_ROLE.act : NODE_CLUSTER_ROLE.read,
      },
      subjects: [subject],
    } as KubernetesObject,
  ];
};
