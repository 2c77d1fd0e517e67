// The small pure parts of promote: regions, AMI types, the caller as a principal, scaling for
// `scale`, node group updates and the names a lab gets on AWS.
import { describe, expect, it } from 'vitest';
import { updateConfigInput } from '../../../core/promote/apply-nodegroups.ts';
import { amiTypeFor, desiredNodegroups } from '../../../core/promote/eks-spec.ts';
import { principalArnOf } from '../../../core/promote/identity.ts';
import { promoteNames } from '../../../core/promote/names.ts';
import { checkRegion } from '../../../core/promote/regions.ts';
import { scalingFor } from '../../../core/promote/scale.ts';
import { loadTopology } from '../../../core/topology/index.ts';

describe('checkRegion', () => {
  it('accepts an AWS region and rejects a typo with the nearest names', () => {
    expect(checkRegion('eu-west-1')).toBe('eu-west-1');
    expect(() => checkRegion('eu-wset-1')).toThrow(/unknown AWS region "eu-wset-1"/);
    expect(() => checkRegion('us-east-9')).toThrow(
      expect.objectContaining({ fix: expect.stringMatching(/^use --region us-east-1/) }),
    );
  });
});

describe('amiTypeFor', () => {
  it('picks the ARM AMI for Graviton families and x86 otherwise', () => {
    expect(amiTypeFor('t3.medium')).toBe('AL2023_x86_64_STANDARD');
    expect(amiTypeFor('m7i.large')).toBe('AL2023_x86_64_STANDARD');
    for (const t of ['t4g.medium', 'm7g.large', 'c6gn.xlarge'])
      expect(amiTypeFor(t), t).toBe('AL2023_ARM_64_STANDARD');
  });
});

describe('principalArnOf', () => {
  it("turns an assumed role's session into its role, and leaves users alone", () => {
    expect(principalArnOf('arn:aws:sts::123456789012:assumed-role/Admin/me@example.com')).toBe(
      'arn:aws:iam::123456789012:role/Admin',
    );
    expect(principalArnOf('arn:aws:iam::123456789012:user/alice')).toBe(
      'arn:aws:iam::123456789012:user/alice',
    );
  });
});

describe('scalingFor', () => {
  it('idles a pool at 0 with max kept, and refuses more than eks.maxSize', async () => {
    const backend = (await loadTopology()).pools.find((p) => p.name === 'backend')!;
    expect(scalingFor(backend, 0)).toEqual({ minSize: 0, maxSize: 4, desiredSize: 0 });
    expect(scalingFor(backend, 3)).toEqual({ minSize: 1, maxSize: 4, desiredSize: 3 });
    expect(() => scalingFor(backend, 5)).toThrow(/more than pool backend's eks.maxSize \(4\)/);
    expect(() => scalingFor(backend, -1)).toThrow(/whole number/);
  });
});

describe('updateConfigInput', () => {
  it('sets scaling, labels and taints, removing labels and taints the pool no longer has', async () => {
    const spec = desiredNodegroups(await loadTopology())[0]!;
    const input = updateConfigInput('kartstream', spec, {
      name: 'frontend',
      status: 'ACTIVE',
      instanceTypes: ['t3.medium'],
      subnets: [],
      scaling: { minSize: 0, maxSize: 3, desiredSize: 0 },
      labels: { pool: 'frontend', old: 'yes' },
      taints: [
        { key: 'pool', value: 'frontend', effect: 'NO_SCHEDULE' },
        { key: 'old', value: 'x', effect: 'NO_EXECUTE' },
      ],
    });
    expect(input).toEqual({
      clusterName: 'kartstream',
      nodegroupName: 'frontend',
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      labels: { addOrUpdateLabels: { pool: 'frontend' }, removeLabels: ['old'] },
      taints: {
        addOrUpdateTaints: [{ key: 'pool', value: 'frontend', effect: 'NO_SCHEDULE' }],
        removeTaints: [{ key: 'old', value: 'x', effect: 'NO_EXECUTE' }],
      },
    });
  });
});

describe('promoteNames', () => {
  it('names the cluster after the lab and tags with lab and region', () => {
    expect(promoteNames('demo', 'us-east-1')).toEqual({
      lab: 'demo',
      region: 'us-east-1',
      cluster: 'demo',
      stack: 'kartstream-demo-network',
      tags: { 'kartstream:lab': 'demo', 'kartstream:region': 'us-east-1' },
    });
  });
});
