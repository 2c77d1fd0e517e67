// The topology's zones on EKS: which AZs the plan picks (and refuses), which subnets each node
// group gets, and what the exports say.
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodegroupInput, desiredNodegroups } from '../../../core/promote/eks-spec.ts';
import { exportCloudFormation, exportEksctl } from '../../../core/promote/export-formats.ts';
import { promoteNames } from '../../../core/promote/names.ts';
import { checkZones } from '../../../core/promote/zones.ts';
import { loadTopology } from '../../../core/topology/index.ts';
import type { Topology } from '../../../core/topology/schema.ts';

const names = promoteNames('kartstream', 'eu-west-1');
const outputs = {
  NodeRoleArn: 'arn:aws:iam::123456789012:role/node',
  PublicSubnetIds: 'subnet-pa,subnet-pb,subnet-pc',
  PrivateSubnetIds: 'subnet-ra,subnet-rb,subnet-rc',
  DataSubnetIds: 'subnet-da,subnet-db,subnet-dc',
};
let topology: Topology;
let threeZones: Topology;

beforeAll(async () => {
  topology = await loadTopology();
  threeZones = {
    ...topology,
    zones: ['a', 'b', 'c'],
    pools: topology.pools.map((p) => (p.name === 'database' ? { ...p, zones: ['c'] } : p)),
  };
});

describe('checkZones', () => {
  const euWest1 = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

  it("names the region's zones of the topology's letters, in the topology's order", () => {
    expect(checkZones('eu-west-1', ['b', 'a'], euWest1)).toEqual(['eu-west-1b', 'eu-west-1a']);
  });

  it('refuses a zone the region does not have, naming the ones it has', () => {
    expect(() => checkZones('eu-west-1', ['a', 'd'], euWest1)).toThrow(
      /eu-west-1 has no available zone eu-west-1d/,
    );
  });

  it('refuses more zones than the region has available', () => {
    expect(() => checkZones('ca-west-1', ['a', 'b', 'c'], ['ca-west-1a', 'ca-west-1b'])).toThrow(
      'the topology has 3 zones (a, b, c), and ca-west-1 has only 2 available (a, b)',
    );
  });
});

describe('node groups over the zones', () => {
  it("gives a node group its tier's subnet in each of its pool's zones", () => {
    const groups = desiredNodegroups(threeZones);
    const subnets = Object.fromEntries(
      groups.map((g) => [g.name, createNodegroupInput(g, outputs, names).subnets]),
    );
    expect(subnets).toEqual({
      frontend: ['subnet-pa', 'subnet-pb', 'subnet-pc'],
      backend: ['subnet-ra', 'subnet-rb', 'subnet-rc'],
      database: ['subnet-dc'],
      monitoring: ['subnet-ra', 'subnet-rb', 'subnet-rc'],
    });
  });

  it('renders the same in the exported CloudFormation and eksctl files', () => {
    const cfn = exportCloudFormation(threeZones, names, 'single');
    expect(cfn.Resources.NodegroupDatabase?.Properties?.Subnets).toEqual([{ Ref: 'DataSubnetC' }]);
    const eksctl = parse(exportEksctl(threeZones, names, 'single')) as {
      availabilityZones: string[];
      managedNodeGroups: { name: string; availabilityZones: string[] }[];
    };
    expect(eksctl.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(eksctl.managedNodeGroups.find((g) => g.name === 'database')?.availabilityZones).toEqual([
      'eu-west-1c',
    ]);
  });
});
