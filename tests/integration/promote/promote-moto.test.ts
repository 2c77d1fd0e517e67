// Promote against a real moto_server: plan for the default topology, apply creates what the plan
// said (checked independently with boto3), a second apply changes nothing, scale to zero and
// back, and destroy leaves nothing tagged. moto has no Kubernetes API, so apply runs --infra-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology } from '../../../core/topology/index.ts';
import type { Topology } from '../../../core/topology/schema.ts';
import { useTempHome } from '../helpers/lab-env.ts';
import { startMoto, type MotoServer } from './moto-server.ts';
import { checkPromoted, promoteCli } from './promote-helpers.ts';

let moto: MotoServer;
let home: { cleanup: () => void };
let topology: Topology;

beforeAll(async () => {
  home = useTempHome();
  moto = await startMoto();
  topology = await loadTopology();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  home?.cleanup();
});

interface PlanJson {
  identity: { arn: string; account: string };
  zones: string[];
  items: { resource: string; name: string; action: string }[];
  summary: Record<string, number>;
  changes: boolean;
  cost: { perHour: number; lines: { item: string; quantity: number; perHour?: number }[]; recorded: string };
}

describe('promote against moto', () => {
  it('plans the default topology: the stack, the cluster, four node groups, and the cost per hour', async () => {
    const table = await promoteCli(moto.env, ['plan']);
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/as arn:aws:\S+ \(account 123456789012\)/);
    expect(table.stdout).toContain('Availability zones: eu-west-1a, eu-west-1b');
    expect(table.stdout).toMatch(/create\s+EKS cluster\s+kartstream\s+Kubernetes 1\.33/);
    expect(table.stdout).toMatch(/total \$\d+\.\d{4} per hour/);
    expect(table.stdout).toContain('plan: 10 to create, 0 to change, 0 to replace, 0 to delete, 0 unchanged');

    const json = await promoteCli(moto.env, ['plan', '-o', 'json']);
    const plan = JSON.parse(json.stdout) as PlanJson;
    const types = plan.items.filter((i) => i.resource.startsWith('AWS::')).map((i) => i.resource);
    expect(types.filter((t) => t === 'AWS::EC2::Subnet')).toHaveLength(6);
    expect(types.filter((t) => t === 'AWS::EC2::NatGateway')).toHaveLength(1);
    expect(types.filter((t) => t === 'AWS::IAM::Role')).toHaveLength(3);
    expect(plan.items.filter((i) => i.resource === 'node group').map((i) => i.name)).toEqual(
      topology.pools.map((p) => p.name),
    );
    expect(plan.summary.create).toBe(10);
    expect(plan.cost.lines.find((l) => l.item === 'EKS control plane')?.perHour).toBe(0.1);
    expect(plan.cost.perHour).toBeGreaterThan(0.3);
  });

  it('plan creates nothing', async () => {
    const report = await checkPromoted(moto.env);
    expect(report.taggedCount).toBe(0);
  });

  it('apply creates what the plan said, as boto3 sees it', async () => {
    const apply = await promoteCli(moto.env, ['apply', '--infra-only']);
    expect(apply.exitCode, apply.stderr).toBe(0);
    // The identity is on screen before the first resource step.
    const identityAt = apply.stderr.indexOf('AWS identity arn:aws:');
    expect(identityAt).toBeGreaterThan(-1);
    expect(identityAt).toBeLessThan(apply.stderr.indexOf('Network and IAM stack'));
    expect(apply.stdout).toContain('cluster kartstream ACTIVE');

    const r = await checkPromoted(moto.env);
    expect(r.vpcs).toHaveLength(1);
    for (const tier of ['public', 'private', 'data']) {
      expect(r.subnets[tier], tier).toHaveLength(2);
      expect(r.azsByTier[tier], tier).toEqual(['eu-west-1a', 'eu-west-1b']);
    }
    // (MapPublicIpOnLaunch is not checked here: moto's CloudFormation ignores it; the template test holds it.)
    expect(r.internetGateways.map((g) => g.attachedTo)).toEqual([[r.vpcs[0]!.id]]);
    expect(r.natGateways).toEqual([expect.objectContaining({ state: 'available', subnetTier: 'public' })]);
    const routes = Object.fromEntries(
      ['public', 'private', 'data'].map((t) => [t, r.routeTables.filter((x) => x.tier === t)]),
    );
    expect(routes.public!.map((t) => t.defaultRoute)).toEqual(['igw']);
    expect(routes.private!.map((t) => t.defaultRoute)).toEqual(['nat', 'nat']);
    expect(routes.data!.map((t) => t.defaultRoute)).toEqual(['nat', 'nat']);
    expect(r.sshOpenToTheWorld).toBe(false);
    const policies = Object.fromEntries(
      r.roles.map((role) => [role.name.replace(/^.*-network-(\w+)Role-.*$/, '$1'), role]),
    );
    expect(policies.Cluster).toMatchObject({
      trusts: ['eks.amazonaws.com'],
      policies: ['AmazonEKSClusterPolicy'],
    });
    expect(policies.Node).toMatchObject({
      trusts: ['ec2.amazonaws.com'],
      policies: ['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'],
    });
    expect(policies.Bastion).toMatchObject({ policies: ['AmazonSSMManagedInstanceCore'] });
    expect(r.instances).toEqual([
      expect.objectContaining({ state: 'running', subnetTier: 'public', instanceProfile: true }),
    ]);
    expect(r.cluster).toMatchObject({ name: 'kartstream', status: 'ACTIVE', version: '1.33' });
    expect(new Set(r.cluster!.subnetTiers)).toEqual(new Set(['public', 'private']));
    expect(r.nodegroups.map((n) => n.name)).toEqual([...topology.pools.map((p) => p.name)].sort());
    for (const pool of topology.pools) {
      const ng = r.nodegroups.find((n) => n.name === pool.name)!;
      expect(ng.status).toBe('ACTIVE');
      expect(ng.labels).toEqual({ pool: pool.name });
      expect(ng.taints).toEqual([{ key: 'pool', value: pool.name, effect: 'NO_SCHEDULE' }]);
      expect(ng.instanceTypes).toEqual([pool.eks.instanceType]);
      expect(ng.scaling).toEqual({
        minSize: pool.eks.minSize,
        maxSize: pool.eks.maxSize,
        desiredSize: pool.nodes,
      });
      expect(ng.subnetTiers).toEqual([pool.eks.subnetTier]);
    }
  });

  it('a second apply plans and changes nothing', async () => {
    const before = await checkPromoted(moto.env);
    const plan = JSON.parse((await promoteCli(moto.env, ['plan', '-o', 'json'])).stdout) as PlanJson;
    expect(plan.changes).toBe(false);
    expect(plan.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, 'no-change': 6 });
    const again = await promoteCli(moto.env, ['apply', '--infra-only', '-o', 'json']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { plan: PlanJson }).plan.changes).toBe(false);
    const after = await checkPromoted(moto.env);
    expect(after).toEqual(before);
  });

  it('status shows the node groups with their scaling', async () => {
    const status = await promoteCli(moto.env, ['status']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toMatch(
      /backend\s+ACTIVE\s+t3\.large\s+1\/2\/4\s+pool=backend\s+pool=backend:NO_SCHEDULE/,
    );
  });

  it('scales a pool to zero and back', async () => {
    const zero = await promoteCli(moto.env, ['scale', '--pool', 'backend', '--nodes', '0']);
    expect(zero.exitCode, zero.stderr).toBe(0);
    let ng = (await checkPromoted(moto.env)).nodegroups.find((n) => n.name === 'backend');
    expect(ng?.scaling).toEqual({ minSize: 0, maxSize: 4, desiredSize: 0 });
    const back = await promoteCli(moto.env, ['scale', '--pool', 'backend', '--nodes', '2']);
    expect(back.exitCode, back.stderr).toBe(0);
    ng = (await checkPromoted(moto.env)).nodegroups.find((n) => n.name === 'backend');
    expect(ng?.scaling).toEqual({ minSize: 1, maxSize: 4, desiredSize: 2 });
    const plan = JSON.parse((await promoteCli(moto.env, ['plan', '-o', 'json'])).stdout) as PlanJson;
    expect(plan.changes).toBe(false);
  });

  it('destroy removes everything and finds nothing tagged afterwards', async () => {
    const destroy = await promoteCli(moto.env, ['destroy']);
    expect(destroy.exitCode, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain('nothing tagged with it is left');
    const r = await checkPromoted(moto.env);
    expect(r.taggedCount).toBe(0);
    expect(r.cluster).toBeNull();
    const again = await promoteCli(moto.env, ['destroy']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('had nothing');
  });

  it('per-AZ NAT gives each availability zone its own gateway and route', async () => {
    const apply = await promoteCli(moto.env, [
      'apply',
      '--infra-only',
      '--name',
      'ha-lab',
      '--nat',
      'per-az',
    ]);
    expect(apply.exitCode, apply.stderr).toBe(0);
    const r = await checkPromoted(moto.env, 'ha-lab');
    expect(r.natGateways).toHaveLength(2);
    const destroy = await promoteCli(moto.env, ['destroy', '--name', 'ha-lab']);
    expect(destroy.exitCode, destroy.stderr).toBe(0);
    expect((await checkPromoted(moto.env, 'ha-lab')).taggedCount).toBe(0);
  });
});
