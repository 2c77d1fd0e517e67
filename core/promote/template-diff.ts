// Compares the template a stack was created from with the one rendered now: which logical
// resources would be added, changed or removed, and whether parameters or outputs moved. Pure.
import type { CfnTemplate } from './network-stack.ts';

export interface TemplateDiff {
  added: { id: string; type: string }[];
  changed: { id: string; type: string }[];
  removed: { id: string; type: string }[];
  /** Parameters, outputs or description differ (no resource change, but still an update). */
  other: string[];
}

// Key order never matters: JSON with sorted keys is the comparison form.
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

type Resources = Record<string, { Type?: string }>;
const resourcesOf = (template: unknown): Resources =>
  ((template as { Resources?: Resources } | undefined)?.Resources ?? {}) as Resources;

export const diffTemplates = (deployed: unknown, desired: CfnTemplate): TemplateDiff => {
  const before = resourcesOf(deployed);
  const after = resourcesOf(desired);
  const diff: TemplateDiff = { added: [], changed: [], removed: [], other: [] };
  for (const [id, resource] of Object.entries(after)) {
    const type = resource.Type ?? '?';
    const old = before[id];
    if (!old) diff.added.push({ id, type });
    else if (canonicalJson(old) !== canonicalJson(resource)) diff.changed.push({ id, type });
  }
  for (const [id, resource] of Object.entries(before))
    if (!after[id]) diff.removed.push({ id, type: resource.Type ?? '?' });
  const section = (name: 'Parameters' | 'Outputs' | 'Description') =>
    canonicalJson((deployed as Record<string, unknown> | undefined)?.[name]) !==
    canonicalJson((desired as unknown as Record<string, unknown>)[name]);
  for (const name of ['Parameters', 'Outputs', 'Description'] as const)
    if (section(name)) diff.other.push(name);
  return diff;
};

export const isEmptyDiff = (diff: TemplateDiff): boolean =>
  diff.added.length + diff.changed.length + diff.removed.length + diff.other.length === 0;
