// The price table (dated, per region, marked as entered list prices) and the cost arithmetic.
import { describe, expect, it } from 'vitest';
import { estimateCost, loadPrices } from '../../../core/promote/prices.ts';

const table = loadPrices();
const pools = [
  { name: 'frontend', instanceType: 't3.medium', nodes: 2, publicIp: true },
  { name: 'backend', instanceType: 't3.large', nodes: 2, publicIp: false },
];
const input = {
  region: 'eu-west-1',
  pools,
  natMode: 'single' as const,
  availabilityZones: 2,
  bastionInstanceType: 't3.micro',
};

describe('the price table', () => {
  it('says where its numbers come from and when they were recorded, per region', () => {
    expect(table.source).toBe('AWS public price list, on-demand, Linux');
    expect(table.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.note).toMatch(/entered by hand/);
    expect(Object.keys(table.regions)).toContain('eu-west-1');
    for (const type of ['t3.micro', 't3.medium', 't3.large'])
      expect(table.regions['eu-west-1']!.instances[type]).toBeGreaterThan(0);
  });
});

describe('estimateCost', () => {
  it('adds the control plane, the nodes of each pool, the NAT gateway, the bastion and public IPs', () => {
    const p = table.regions['eu-west-1']!;
    const cost = estimateCost(input, table);
    const expected =
      p.eksControlPlane +
      2 * p.instances['t3.medium']! +
      2 * p.instances['t3.large']! +
      p.natGateway +
      p.instances['t3.micro']! +
      (1 + 1 + 2) * p.publicIpv4;
    expect(cost.perHour).toBeCloseTo(expected, 4);
    expect(cost.lines.map((l) => l.item)).toEqual([
      'EKS control plane',
      'frontend nodes (t3.medium)',
      'backend nodes (t3.large)',
      'NAT gateway',
      'bastion (t3.micro)',
      'public IPv4 addresses (NAT, bastion, public-subnet nodes)',
    ]);
    expect(cost.unpriced).toEqual([]);
  });

  it('counts one NAT gateway per zone in per-az mode, and idle pools cost nothing', () => {
    const perAz = estimateCost({ ...input, natMode: 'per-az', availabilityZones: 3 }, table);
    expect(perAz.lines.find((l) => l.item === 'NAT gateways')?.quantity).toBe(3);
    const idle = estimateCost({ ...input, pools: pools.map((p) => ({ ...p, nodes: 0 })) }, table);
    expect(idle.lines.find((l) => l.item === 'backend nodes (t3.large)')?.perHour).toBe(0);
  });

  it('says what it could not price instead of guessing', () => {
    const odd = estimateCost({ ...input, pools: [{ ...pools[0]!, instanceType: 'x9.huge' }] }, table);
    expect(odd.unpriced).toEqual(['frontend nodes (x9.huge)']);
    const elsewhere = estimateCost({ ...input, region: 'ap-south-2' }, table);
    expect(elsewhere.unpriced[0]).toMatch(/no prices for ap-south-2/);
    expect(elsewhere.perHour).toBe(0);
  });
});
