// The plan as a pure diff of what should exist against what does: everything to create on an empty
// account, nothing once it all matches, and the right action for each kind of difference.
import { beforeAll, describe, expect, it } from 'vitest';
import { CORE_ADDONS, desiredCluster, desiredNodegroups } from '../../../core/promote/eks-spec.ts';
import { NAT_TAG, promoteNames } from '../../../core/promote/names.ts';
import { renderNetworkStack } from '../../../core/promote/network-stack.ts';
import type { Observed, ObservedNodegroup } from '../../../core/promote/observe.ts';
import { hasChanges, planItems, summarize, type Desired } from '../../../core/promote/plan-diff.ts';
import { diffTemplates } from '../../../core/promote/template-diff.ts';
import { loadTopology } from '../../../core/topology/index.ts';

const names = promoteNames('kartstream', 'eu-west-1');
const principal = 'arn:aws:iam::123456789012:role/Admin';
const outputs = {
  PublicSubnetIds: 'subnet-pa,subnet-pb',
  PrivateSubnetIds: 'subnet-ra,subnet-rb',
  DataSubnetIds: 'subnet-da,subnet-db',
};
let desired: Desired;

beforeAll(async () => {
  const topology = await loadTopology();
  desired = {
    names,
    natMode: 'single',
    template: renderNetworkStack(topology, { names, natMode: 'single', zones: ['eu-west-1a', 'eu-west-1b'] }),
    cluster: desiredCluster(topology, names),
    nodegroups: desiredNodegroups(topology),
    addons: CORE_ADDONS,
    principalArn: principal,
  };
});

const empty: Observed = { nodegroups: [], addons: [], accessEntries: [] };

// What exists after a complete apply of `desired`.
const converged = (): Observed => ({
  stack: {
    name: names.stack,
    status: 'CREATE_COMPLETE',
    template: JSON.parse(JSON.stringify(desired.template)),
    outputs,
    tags: { ...names.tags, [NAT_TAG]: 'single' },
  },
  cluster: { name: names.cluster, status: 'ACTIVE', version: '1.33', tags: names.tags },
  nodegroups: desired.nodegroups.map((ng): ObservedNodegroup => ({
    name: ng.name,
    status: 'ACTIVE',
    instanceTypes: [ng.instanceType],
    amiType: ng.amiType,
    subnets: (outputs as Record<string, string>)[
      `${ng.subnetTier[0]!.toUpperCase()}${ng.subnetTier.slice(1)}SubnetIds`
    ]!.split(','),
    scaling: { ...ng.scaling },
    labels: { ...ng.labels },
    taints: ng.taints.map((t) => ({ ...t })),
  })),
  addons: CORE_ADDONS.map((a) => a.name),
  accessEntries: [principal],
});

const action = (observed: Observed, resource: string, name: string) =>
  planItems(desired, observed).find((i) => i.resource === resource && i.name === name);

describe('planItems', () => {
  it('creates everything on an empty account, listing every stack resource', () => {
    const items = planItems(desired, empty);
    const summary = summarize(items);
    expect(summary).toMatchObject({ create: 10, update: 0, replace: 0, delete: 0, 'no-change': 0 });
    expect(items.filter((i) => i.resource.startsWith('AWS::'))).toHaveLength(
      Object.keys(desired.template.Resources).length,
    );
    expect(items.find((i) => i.resource === 'node group' && i.name === 'frontend')?.details[0]).toBe(
      't3.medium ×2 (min 1, max 3), public subnets in zones a, b, pool=frontend:NO_SCHEDULE',
    );
  });

  it('plans no change once everything matches (so a second apply does nothing)', () => {
    const summary = summarize(planItems(desired, converged()));
    expect(hasChanges(summary)).toBe(false);
    expect(summary['no-change']).toBe(10);
  });

  it('marks what an emulator cannot show as unknown, not as a change', () => {
    const summary = summarize(
      planItems(desired, { ...converged(), addons: 'unsupported', accessEntries: 'unsupported' }),
    );
    expect(summary).toMatchObject({ unknown: 4, create: 0 });
    expect(hasChanges(summary)).toBe(false);
  });

  it('updates a node group whose scaling, labels or taints differ', () => {
    const observed = converged();
    observed.nodegroups[1]!.scaling = { minSize: 0, maxSize: 4, desiredSize: 0 };
    observed.nodegroups[2]!.labels = { pool: 'database', extra: 'x' };
    expect(action(observed, 'node group', 'backend')).toMatchObject({
      action: 'update',
      details: ['scaling 0/0/4 → 1/2/4 (min/desired/max)'],
    });
    expect(action(observed, 'node group', 'database')?.action).toBe('update');
  });

  it('replaces a node group whose instance type or subnets differ, and deletes one no pool names', () => {
    const observed = converged();
    observed.nodegroups[0]!.instanceTypes = ['t3.small'];
    observed.nodegroups[3]!.subnets = ['subnet-pa'];
    observed.nodegroups.push({ ...observed.nodegroups[0]!, name: 'old-pool' });
    expect(action(observed, 'node group', 'frontend')).toMatchObject({
      action: 'replace',
      details: ['instance type t3.small → t3.medium'],
    });
    expect(action(observed, 'node group', 'monitoring')?.action).toBe('replace');
    expect(action(observed, 'node group', 'old-pool')?.action).toBe('delete');
  });

  it('waits for resources in progress and replaces failed ones', () => {
    const observed = converged();
    observed.stack!.status = 'ROLLBACK_COMPLETE';
    observed.cluster!.status = 'CREATING';
    observed.nodegroups[0]!.status = 'CREATE_FAILED';
    expect(action(observed, 'stack', names.stack)?.action).toBe('replace');
    expect(action(observed, 'EKS cluster', names.cluster)?.action).toBe('wait');
    expect(action(observed, 'node group', 'frontend')?.action).toBe('replace');
  });

  it('updates the stack when the template or the NAT mode changed, naming the resources', () => {
    const observed = converged();
    delete (observed.stack!.template as { Resources: Record<string, unknown> }).Resources
      .BastionSecurityGroup;
    const items = planItems(desired, observed);
    expect(items.find((i) => i.resource === 'stack')).toMatchObject({ action: 'update' });
    expect(items).toContainEqual({
      resource: 'AWS::EC2::SecurityGroup',
      name: 'BastionSecurityGroup',
      action: 'create',
      details: [],
    });
    const nat = converged();
    nat.stack!.tags[NAT_TAG] = 'per-az';
    expect(action(nat, 'stack', names.stack)?.action).toBe('update');
  });

  it('plans a Kubernetes upgrade when the version differs', () => {
    const observed = converged();
    observed.cluster!.version = '1.32';
    expect(action(observed, 'EKS cluster', names.cluster)).toMatchObject({
      action: 'update',
      details: ['Kubernetes 1.32 → 1.33'],
    });
  });
});

describe('diffTemplates', () => {
  it('ignores key order and reports added, changed and removed resources', () => {
    const a = { Resources: { X: { Type: 'T', Properties: { a: 1, b: 2 } }, Y: { Type: 'U' } } };
    const b = { Resources: { X: { Properties: { b: 2, a: 1 }, Type: 'T' }, Z: { Type: 'V' } } };
    const diff = diffTemplates(a, b as never);
    expect(diff.added).toEqual([{ id: 'Z', type: 'V' }]);
    expect(diff.changed).toEqual([]);
    expect(diff.removed).toEqual([{ id: 'Y', type: 'U' }]);
  });
});
