// The cost per hour of a promoted lab, from the list prices recorded in infra/eks/prices.json
// (entered by hand, dated, per region): control plane, the nodes of each pool, NAT gateways, the
// bastion and public IPv4 addresses. Pure arithmetic over what the plan says will run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { NatMode } from './names.ts';

export const PRICES_FILE = fileURLToPath(new URL('../../infra/eks/prices.json', import.meta.url));

const price = z.number().nonnegative();
const pricesSchema = z.object({
  source: z.string(),
  recorded: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency: z.string(),
  note: z.string(),
  regions: z.record(
    z.string(),
    z.object({
      eksControlPlane: price,
      natGateway: price,
      publicIpv4: price,
      instances: z.record(z.string(), price),
    }),
  ),
});
export type PriceTable = z.infer<typeof pricesSchema>;

// Loads and checks the price table (a broken table is a bug in the repo, so this throws plainly).
export const loadPrices = (file: string = PRICES_FILE): PriceTable =>
  pricesSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

export interface CostInput {
  region: string;
  pools: { name: string; instanceType: string; nodes: number; publicIp: boolean }[];
  natMode: NatMode;
  availabilityZones: number;
  bastionInstanceType: string;
}

export interface CostLine {
  item: string;
  quantity: number;
  /** Price of one unit per hour; undefined when the table has no price for it. */
  unitPerHour?: number;
  perHour?: number;
}

export interface CostEstimate {
  region: string;
  currency: string;
  source: string;
  recorded: string;
  lines: CostLine[];
  perHour: number;
  /** Items the table has no price for: the total leaves them out, and says so. */
  unpriced: string[];
  note: string;
}

const round = (n: number) => Math.round(n * 10000) / 10000;

// The cost per hour of what a plan runs, line by line.
export const estimateCost = (input: CostInput, table: PriceTable): CostEstimate => {
  const prices = table.regions[input.region];
  const lines: CostLine[] = [];
  const add = (item: string, quantity: number, unitPerHour: number | undefined) =>
    lines.push({
      item,
      quantity,
      unitPerHour,
      perHour: unitPerHour === undefined ? undefined : round(quantity * unitPerHour),
    });
  const natCount = input.natMode === 'per-az' ? input.availabilityZones : 1;
  add('EKS control plane', 1, prices?.eksControlPlane);
  for (const pool of input.pools)
    add(`${pool.name} nodes (${pool.instanceType})`, pool.nodes, prices?.instances[pool.instanceType]);
  add(`NAT gateway${natCount > 1 ? 's' : ''}`, natCount, prices?.natGateway);
  add(`bastion (${input.bastionInstanceType})`, 1, prices?.instances[input.bastionInstanceType]);
  const publicIps = natCount + 1 + input.pools.filter((p) => p.publicIp).reduce((sum, p) => sum + p.nodes, 0);
  add('public IPv4 addresses (NAT, bastion, public-subnet nodes)', publicIps, prices?.publicIpv4);
  const unpriced = lines.filter((l) => l.perHour === undefined).map((l) => l.item);
  return {
    region: input.region,
    currency: table.currency,
    source: table.source,
    recorded: table.recorded,
    lines,
    perHour: round(lines.reduce((sum, l) => sum + (l.perHour ?? 0), 0)),
    unpriced: prices ? unpriced : [`every item: the table has no prices for ${input.region}`],
    note: table.note,
  };
};
