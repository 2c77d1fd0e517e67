// The incident workflow of a game day (docs/gameday.md, "The incident"): declare, severity,
// milestones, notes, all written to the lab timeline; the figures are computed from it.
import type { TimelineEntry } from './timeline-types.ts';

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

/** What `timeline.list` and `timeline.watch` give: the entries the caller may see, in time order. */
export interface TimelineView {
  lab: string;
  entries: TimelineEntry[];
  /** Lines of the timeline file that could not be read (a torn write, a hand edit), left out. */
  skipped?: { file: string; lines: number[] };
  incident: IncidentState;
  figures: IncidentFigures;
}

/** `4m 05s`, `1h 02m`, `12s`: a figure as people read it. */
export const formatDuration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
};
