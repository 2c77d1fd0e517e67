// A person's objects in the cluster: the ServiceAccount carries their name, and the rights follow
// their role (edit on the shop for the roles that act, view for the others).
import { describe, expect, it } from 'vitest';
import { PERSON_ANNOTATION, TEAM_NAMESPACE } from '../../../core/contract/team-identity.ts';
import { ROLES } from '../../../core/contract/roles.ts';
import { NODE_CLUSTER_ROLE, renderPersonIdentity, renderTeamBase } from '../../../core/kube/team-rbac.ts';

type Obj = {
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  roleRef?: { name: string };
  subjects?: unknown[];
};

const byKind = (objects: Obj[], kind: string) => objects.find((o) => o.kind === kind);

describe('team RBAC', () => {
  it('names the person on their ServiceAccount in the team namespace', () => {
    const sa = byKind(renderPersonIdentity('Ana María', 'operator', 'shop') as Obj[], 'ServiceAccount');
    expect(sa?.metadata).toMatchObject({
      name: 'person-ana-mar-a',
      namespace: TEAM_NAMESPACE,
      annotations: { [PERSON_ANNOTATION]: 'Ana María' },
    });
  });

  it.each(ROLES)('gives the %s role the rights of its kind', (role) => {
    const acts = ['facilitator', 'commander', 'operator'].includes(role);
    const objects = renderPersonIdentity('Bo', role, 'shop') as Obj[];
    const shop = byKind(objects, 'RoleBinding');
    expect(shop?.metadata?.namespace).toBe('shop');
    expect(shop?.roleRef?.name).toBe(acts ? 'edit' : 'view');
    expect(byKind(objects, 'ClusterRoleBinding')?.roleRef?.name).toBe(
      acts ? NODE_CLUSTER_ROLE.act : NODE_CLUSTER_ROLE.read,
    );
    for (const binding of [shop, byKind(objects, 'ClusterRoleBinding')])
      expect(binding?.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'person-bo', namespace: TEAM_NAMESPACE },
      ]);
  });

  it('lets only acting roles patch nodes (cordon), and every role read them', () => {
    const roles = renderTeamBase().filter((o) => o.kind === 'ClusterRole') as (Obj & {
      rules: { verbs: string[] }[];
    })[];
    const verbs = (name: string) =>
      roles.find((r) => r.metadata?.name === name)?.rules.flatMap((r) => r.verbs);
    expect(verbs(NODE_CLUSTER_ROLE.act)).toContain('patch');
    expect(verbs(NODE_CLUSTER_ROLE.read)).not.toContain('patch');
    expect(verbs(NODE_CLUSTER_ROLE.read)).toEqual(expect.arrayContaining(['get', 'list']));
  });
});
