// How a plan reads in a terminal: who and where, one row per resource, the cost per hour with the
// price table's source and date, and a one-line summary.
import { table } from '../text/table.ts';
import type { PromotionPlan } from './plan.ts';
import type { CostEstimate } from './prices.ts';

const money = (n: number | undefined, currency: string) =>
  n === undefined ? '?' : `${currency === 'USD' ? '$' : `${currency} `}${n.toFixed(4)}`;

// "3 to create, 1 to change, ..." (top-level resources).
export const summaryLine = (plan: PromotionPlan): string => {
  const s = plan.summary;
  const parts = [
    `${s.create} to create`,
    `${s.update} to change`,
    `${s.replace} to replace`,
    `${s.delete} to delete`,
    ...(s.wait ? [`${s.wait} to wait for`] : []),
    `${s['no-change']} unchanged`,
    ...(s.unknown ? [`${s.unknown} not checkable here`] : []),
  ];
  return `${plan.changes ? 'plan' : 'no changes'}: ${parts.join(', ')}`;
};

export const costText = (cost: CostEstimate): string => {
  const rows = cost.lines.map((l) => [
    l.item,
    l.quantity,
    money(l.unitPerHour, cost.currency),
    money(l.perHour, cost.currency),
  ]);
  const lines = [
    `Cost per hour in ${cost.region} (list prices you entered: ${cost.source}, recorded ${cost.recorded})`,
    table(['ITEM', 'QTY', 'EACH/HOUR', 'PER HOUR'], rows),
    `total ${money(cost.perHour, cost.currency)} per hour, about ${money(cost.perHour * 24 * 30, cost.currency).replace(/(\.\d\d)\d+$/, '$1')} per 30 days while running`,
  ];
  if (cost.unpriced.length)
    lines.push(`not priced (missing from infra/eks/prices.json): ${cost.unpriced.join('; ')}`);
  return lines.join('\n');
};

export const planText = (plan: PromotionPlan): string => {
  const rows = plan.items.map((item) => {
    const nested = item.resource.startsWith('AWS::');
    return [
      item.action,
      nested ? `  ${item.resource}` : item.resource,
      nested ? `  ${item.name}` : item.name,
      item.details.join('; '),
    ];
  });
  return [
    `Promote lab ${plan.lab} to EKS in ${plan.region} as ${plan.identity.arn} (account ${plan.identity.account})` +
      (plan.endpoint ? ` via ${plan.endpoint}` : ''),
    `Availability zones: ${plan.zones.join(', ')}; NAT: ${plan.natMode === 'per-az' ? 'one gateway per zone' : 'one gateway'}`,
    '',
    table(['ACTION', 'RESOURCE', 'NAME', 'DETAILS'], rows),
    '',
    costText(plan.cost),
    '',
    summaryLine(plan),
  ].join('\n');
};
