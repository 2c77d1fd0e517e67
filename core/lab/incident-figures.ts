// The incident's figures for the responders' score and the postmortem: time to detect,
// acknowledge, mitigate and resolve, each from the first milestone of that name, measured from
// the first inject (or, with no inject, from the incident's declaration). Pure: entries in,
// figures out.
import type { TimelineEntry } from '../contract/timeline-types.ts';

export const MILESTONES = ['detected', 'acknowledged', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface IncidentFigures {
  /** When the clock starts, and from what; absent with neither an inject nor a declaration. */
  start?: { at: string; from: 'inject' | 'declared' };
  /** Milliseconds from `start` to the first milestone of each name (absent: not reached yet). */
  timeTo: Partial<Record<Milestone, number>>;
  /** When each milestone was first recorded, and by whom. */
  milestones: Partial<Record<Milestone, { at: string; actor: string }>>;
}

export interface IncidentState {
  declared?: { at: string; actor: string; title: string };
  /** The latest severity (declared or changed). */
  severity?: Severity;
}

const isMilestone = (value: unknown): value is Milestone => MILESTONES.includes(value as Milestone);

/** The entries in time order (readLabTimeline sorts them). */
export const incidentState = (entries: TimelineEntry[]): IncidentState => {
  const state: IncidentState = {};
  for (const e of entries) {
    if (e.kind !== 'incident') continue;
    if (e.data?.event === 'declared' && !state.declared)
      state.declared = { at: e.at, actor: e.actor, title: String(e.data.title ?? '') };
    if (SEVERITIES.includes(e.data?.severity as Severity)) state.severity = e.data?.severity as Severity;
  }
  return state;
};

export const incidentFigures = (entries: TimelineEntry[]): IncidentFigures => {
  const inject = entries.find((e) => e.kind === 'inject');
  const declared = incidentState(entries).declared;
  const start = inject
    ? { at: inject.at, from: 'inject' as const }
    : declared && { at: declared.at, from: 'declared' as const };
  const figures: IncidentFigures = { timeTo: {}, milestones: {}, ...(start ? { start } : {}) };
  for (const e of entries) {
    const name = e.kind === 'milestone' ? e.data?.name : undefined;
    if (!isMilestone(name) || figures.milestones[name]) continue;
    figures.milestones[name] = { at: e.at, actor: e.actor };
    if (start) figures.timeTo[name] = Math.max(0, Date.parse(e.at) - Date.parse(start.at));
  }
  return figures;
};

/** `4m 05s`, `1h 02m`, `12s`: a figure as people read it. */
export const formatDuration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
};
