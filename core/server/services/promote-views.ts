// Promote results as the renderer sees them: the identity, the plan (with the text the CLI
// prints) and the status of a promoted lab.
import type { IdentityView, PlanView, PromoteStatusView } from '../../contract/wire-types.ts';
import type { CallerIdentity } from '../../promote/identity.ts';
import type { PromotionPlan } from '../../promote/plan.ts';
import type { PromoteStatus } from '../../promote/status.ts';

export const identityView = (identity: CallerIdentity, region: string, endpoint?: string): IdentityView => ({
  account: identity.account,
  arn: identity.arn,
  region,
  ...(endpoint ? { endpoint } : {}),
});

export const planView = (plan: PromotionPlan, text: string): PlanView => ({
  lab: plan.lab,
  region: plan.region,
  identity: identityView(plan.identity, plan.region, plan.endpoint),
  zones: [...plan.zones],
  items: plan.items.map((i) => ({ ...i, details: [...i.details] })),
  summary: { ...plan.summary },
  changes: plan.changes,
  cost: {
    currency: plan.cost.currency,
    perHour: plan.cost.perHour,
    // An item without a price counts 0 here and is named in `unpriced`.
    lines: plan.cost.lines.map((l) => ({
      item: l.item,
      count: l.quantity,
      unit: l.unitPerHour ?? 0,
      perHour: l.perHour ?? 0,
    })),
    unpriced: [...plan.cost.unpriced],
    note: `${plan.cost.note} (list prices: ${plan.cost.source}, recorded ${plan.cost.recorded})`,
  },
  text,
});

export const statusView = (status: PromoteStatus): PromoteStatusView => ({
  lab: status.lab,
  region: status.region,
  exists: status.exists,
  ...(status.stack ? { stack: { ...status.stack } } : {}),
  ...(status.cluster ? { cluster: { ...status.cluster } } : {}),
  nodegroups: status.nodegroups.map((ng) => ({
    name: ng.name,
    status: ng.status,
    ...(ng.scaling ? { desired: ng.scaling.desiredSize } : {}),
    ...(ng.instanceTypes[0] ? { instanceType: ng.instanceTypes.join(', ') } : {}),
  })),
  // ListAddons names the installed add-ons only; an emulator without the add-on API lists none.
  addons: status.addons === 'unsupported' ? [] : status.addons.map((name) => ({ name, status: 'installed' })),
});
