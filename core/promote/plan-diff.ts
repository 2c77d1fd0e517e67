// The plan: what apply would create, change, replace or delete, from what should exist (rendered
// from the topology) and what exists (observed). Pure, so a second apply provably plans nothing.
import { canonicalJson, diffTemplates, isEmptyDiff } from './template-diff.ts';
import type { CfnTemplate } from './network-stack.ts';
import type { AddonSpec, ClusterSpec, NodegroupSpec, StackOutputs } from './eks-spec.ts';
import { nodegroupSubnets } from './eks-spec.ts';
import { NAT_TAG, type NatMode, type PromoteNames } from './names.ts';
import type { Observed, ObservedNodegroup } from './observe.ts';

export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'wait' | 'no-change' | 'unknown';

export interface PlanItem {
  resource: string;
  name: string;
  action: PlanAction;
  details: string[];
}

export interface Desired {
  names: PromoteNames;
  natMode: NatMode;
  template: CfnTemplate;
  cluster: ClusterSpec;
  nodegroups: NodegroupSpec[];
  addons: AddonSpec[];
  /** The caller as an IAM principal (an assumed role's role ARN), for its access entry. */
  principalArn?: string;
}

const STACK_BROKEN = /^(ROLLBACK_COMPLETE|ROLLBACK_FAILED|CREATE_FAILED|DELETE_FAILED)$/;
const IN_PROGRESS = /_IN_PROGRESS$/;

const stackItems = (desired: Desired, observed: Observed): PlanItem[] => {
  const stack = observed.stack;
  const name = desired.names.stack;
  const all = Object.entries(desired.template.Resources);
  const each = (action: PlanAction) =>
    all.map(([id, r]) => ({ resource: r.Type, name: id, action, details: [] as string[] }));
  const nat = `NAT: ${desired.natMode === 'per-az' ? 'one per availability zone' : 'one'}`;
  if (!stack)
    return [
      { resource: 'stack', name, action: 'create', details: [`${all.length} resources`, nat] },
      ...each('create'),
    ];
  if (STACK_BROKEN.test(stack.status))
    return [
      {
        resource: 'stack',
        name,
        action: 'replace',
        details: [`it is ${stack.status}: delete it and create it again`],
      },
      ...each('create'),
    ];
  if (IN_PROGRESS.test(stack.status))
    return [
      { resource: 'stack', name, action: 'wait', details: [`it is ${stack.status}; apply waits for it`] },
    ];
  const diff = diffTemplates(stack.template, desired.template);
  const natChanged = stack.tags[NAT_TAG] !== desired.natMode;
  if (isEmptyDiff(diff) && !natChanged)
    return [{ resource: 'stack', name, action: 'no-change', details: [`${all.length} resources`] }];
  const details = [
    `${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove`,
    ...(natChanged ? [nat] : []),
    ...(diff.other.length ? [`also changes: ${diff.other.join(', ')}`] : []),
  ];
  return [
    { resource: 'stack', name, action: 'update', details },
    ...diff.added.map((r) => ({ resource: r.type, name: r.id, action: 'create' as const, details: [] })),
    ...diff.changed.map((r) => ({ resource: r.type, name: r.id, action: 'update' as const, details: [] })),
    ...diff.removed.map((r) => ({ resource: r.type, name: r.id, action: 'delete' as const, details: [] })),
  ];
};

const clusterItem = (desired: Desired, observed: Observed): PlanItem => {
  const { name, version } = desired.cluster;
  const c = observed.cluster;
  const base = { resource: 'EKS cluster', name };
  if (!c) return { ...base, action: 'create', details: [`Kubernetes ${version}`, 'API authentication mode'] };
  if (c.status === 'FAILED')
    return { ...base, action: 'replace', details: ['it is FAILED: delete it and create it again'] };
  if (c.status === 'DELETING')
    return { ...base, action: 'create', details: ['after the old one is deleted'] };
  if (c.status !== 'ACTIVE')
    return { ...base, action: 'wait', details: [`it is ${c.status}; apply waits for it`] };
  if (c.version && c.version !== version)
    return { ...base, action: 'update', details: [`Kubernetes ${c.version} → ${version}`] };
  return { ...base, action: 'no-change', details: [`Kubernetes ${c.version ?? version}, ${c.status}`] };
};

const accessEntryItem = (desired: Desired, observed: Observed): PlanItem[] => {
  const principal = desired.principalArn;
  if (!principal) return [];
  const base = { resource: 'access entry', name: principal };
  if (!observed.cluster)
    return [{ ...base, action: 'create', details: ['cluster admin, made with the cluster (the creator)'] }];
  if (observed.accessEntries === 'unsupported')
    return [{ ...base, action: 'unknown', details: ['the endpoint has no access-entry API (emulator)'] }];
  return observed.accessEntries.includes(principal)
    ? [{ ...base, action: 'no-change', details: ['cluster admin'] }]
    : [{ ...base, action: 'create', details: ['cluster admin (AmazonEKSClusterAdminPolicy)'] }];
};

const sameMap = (a: Record<string, string>, b: Record<string, string>) =>
  canonicalJson(a) === canonicalJson(b);
const taintSet = (taints: { key?: string; value?: string; effect?: string }[]) =>
  taints
    .map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`)
    .sort()
    .join(',');
const sameSet = (a: string[], b: string[]) => [...a].sort().join(',') === [...b].sort().join(',');

// Why an existing node group must be replaced (fields EKS cannot change) or updated.
export const nodegroupChanges = (spec: NodegroupSpec, ng: ObservedNodegroup, outputs?: StackOutputs) => {
  const replace: string[] = [];
  const update: string[] = [];
  if (!sameSet(ng.instanceTypes, [spec.instanceType]))
    replace.push(`instance type ${ng.instanceTypes.join(',')} → ${spec.instanceType}`);
  if (ng.amiType && ng.amiType !== spec.amiType) replace.push(`AMI type ${ng.amiType} → ${spec.amiType}`);
  const subnets = outputs ? nodegroupSubnets(spec, outputs) : [];
  if (subnets.length && !sameSet(ng.subnets, subnets))
    replace.push(`subnets → the ${spec.subnetTier} tier's in zones ${spec.zones.join(', ')}`);
  const s = ng.scaling;
  const want = spec.scaling;
  if (!s || s.minSize !== want.minSize || s.maxSize !== want.maxSize || s.desiredSize !== want.desiredSize)
    update.push(
      `scaling ${s ? `${s.minSize}/${s.desiredSize}/${s.maxSize}` : '?'} → ${want.minSize}/${want.desiredSize}/${want.maxSize} (min/desired/max)`,
    );
  if (!sameMap(ng.labels, spec.labels)) update.push(`labels → ${canonicalJson(spec.labels)}`);
  if (taintSet(ng.taints) !== taintSet(spec.taints)) update.push(`taints → ${taintSet(spec.taints)}`);
  return { replace, update };
};

const describeSpec = (spec: NodegroupSpec) =>
  `${spec.instanceType} ×${spec.scaling.desiredSize} (min ${spec.scaling.minSize}, max ${spec.scaling.maxSize}), ${spec.subnetTier} subnets in zones ${spec.zones.join(', ')}, ${spec.taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(',')}`;

const nodegroupItems = (desired: Desired, observed: Observed): PlanItem[] => {
  const items: PlanItem[] = desired.nodegroups.map((spec) => {
    const base = { resource: 'node group', name: spec.name };
    const ng = observed.nodegroups.find((n) => n.name === spec.name);
    if (!ng) return { ...base, action: 'create', details: [describeSpec(spec)] };
    if (ng.status === 'CREATE_FAILED' || ng.status === 'DELETE_FAILED')
      return { ...base, action: 'replace', details: [`it is ${ng.status}`] };
    if (ng.status === 'DELETING')
      return { ...base, action: 'create', details: ['after the old one is deleted'] };
    if (ng.status !== 'ACTIVE' && ng.status !== 'DEGRADED')
      return { ...base, action: 'wait', details: [`it is ${ng.status}; apply waits for it`] };
    const { replace, update } = nodegroupChanges(spec, ng, observed.stack?.outputs);
    if (replace.length) return { ...base, action: 'replace', details: [...replace, ...update] };
    if (update.length) return { ...base, action: 'update', details: update };
    return { ...base, action: 'no-change', details: [describeSpec(spec)] };
  });
  for (const ng of observed.nodegroups)
    if (!desired.nodegroups.some((s) => s.name === ng.name))
      items.push({
        resource: 'node group',
        name: ng.name,
        action: 'delete',
        details: ['no pool of that name'],
      });
  return items;
};

const addonItems = (desired: Desired, observed: Observed): PlanItem[] =>
  desired.addons.map((addon) => {
    const base = { resource: 'add-on', name: addon.name };
    if (observed.addons === 'unsupported')
      return { ...base, action: 'unknown', details: ['the endpoint has no add-on API (emulator)'] };
    return observed.addons.includes(addon.name)
      ? { ...base, action: 'no-change', details: [] }
      : {
          ...base,
          action: 'create',
          details: [addon.configurationValues ? 'tolerates the pool taints' : ''].filter(Boolean),
        };
  });

// Every item of the plan, in the order apply works through them.
export const planItems = (desired: Desired, observed: Observed): PlanItem[] => [
  ...stackItems(desired, observed),
  clusterItem(desired, observed),
  ...accessEntryItem(desired, observed),
  ...nodegroupItems(desired, observed),
  ...addonItems(desired, observed),
];

export type PlanSummary = Record<PlanAction, number>;

// Counts top-level items (stack resources are counted inside their stack).
export const summarize = (items: PlanItem[]): PlanSummary => {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    delete: 0,
    wait: 0,
    'no-change': 0,
    unknown: 0,
  };
  for (const item of items) if (!item.resource.startsWith('AWS::')) summary[item.action] += 1;
  return summary;
};

export const hasChanges = (summary: PlanSummary): boolean =>
  summary.create + summary.update + summary.replace + summary.delete + summary.wait > 0;
