// `promote export`: the full CloudFormation template (network, IAM and the AWS::EKS::* resources)
// passes cfn-lint with every check, and the eksctl ClusterConfig carries the same pools.
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCloudFormation, exportEksctl } from '../../../core/promote/export-formats.ts';
import { promoteNames } from '../../../core/promote/names.ts';
import { loadTopology } from '../../../core/topology/index.ts';
import type { Topology } from '../../../core/topology/schema.ts';
import { cfnLint } from './cfn-lint.ts';

let topology: Topology;
const names = promoteNames('kartstream', 'eu-west-1');
beforeAll(async () => {
  topology = await loadTopology();
});

describe('exportCloudFormation', () => {
  it('adds the cluster, a node group per pool with its label, taint and scaling, and the core add-ons', () => {
    const t = exportCloudFormation(topology, names, 'single');
    expect(t.Resources.Cluster?.Properties).toMatchObject({
      Name: 'kartstream',
      Version: '1.33',
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: true },
    });
    for (const pool of topology.pools) {
      const id = `Nodegroup${pool.name[0]!.toUpperCase()}${pool.name.slice(1)}`;
      expect(t.Resources[id]?.Properties, id).toMatchObject({
        NodegroupName: pool.name,
        InstanceTypes: [pool.eks.instanceType],
        Labels: { pool: pool.name },
        Taints: [{ Key: 'pool', Value: pool.name, Effect: 'NO_SCHEDULE' }],
        ScalingConfig: { MinSize: pool.eks.minSize, MaxSize: pool.eks.maxSize, DesiredSize: pool.nodes },
      });
    }
    expect(Object.values(t.Resources).filter((r) => r.Type === 'AWS::EKS::Addon')).toHaveLength(3);
  });

  it('is accepted by cfn-lint with every check', async () => {
    expect(await cfnLint(exportCloudFormation(topology, names, 'single'))).toEqual({
      exitCode: 0,
      output: '',
    });
    expect(await cfnLint(exportCloudFormation(topology, names, 'per-az'))).toEqual({
      exitCode: 0,
      output: '',
    });
  }, 60_000);
});

describe('exportEksctl', () => {
  it('is an eksctl.io/v1alpha5 ClusterConfig with the four managed node groups, labels and taints', () => {
    const text = exportEksctl(topology, names, 'per-az');
    expect(text.startsWith('# eksctl ClusterConfig')).toBe(true);
    const config = parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(config).toMatchObject({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'kartstream', region: 'eu-west-1', version: '1.33' },
      vpc: { nat: { gateway: 'HighlyAvailable' } },
      accessConfig: { authenticationMode: 'API' },
    });
    expect(config.managedNodeGroups.map((n: { name: string }) => n.name)).toEqual(
      topology.pools.map((p) => p.name),
    );
    const backend = config.managedNodeGroups[1];
    expect(backend).toMatchObject({
      instanceType: 't3.large',
      minSize: 1,
      maxSize: 4,
      desiredCapacity: 2,
      privateNetworking: true,
      labels: { pool: 'backend' },
      taints: [{ key: 'pool', value: 'backend', effect: 'NoSchedule' }],
    });
    expect(config.managedNodeGroups[0].privateNetworking).toBe(false);
    expect(config.addons.map((a: { name: string }) => a.name)).toEqual(['vpc-cni', 'kube-proxy', 'coredns']);
  });
});
