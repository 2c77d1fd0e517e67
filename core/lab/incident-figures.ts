// The incident's figures for the responders' score and the postmortem: time to detect,
// acknowledge, mitigate and resolve, each from the first milestone of that name, measured from
// the first inject (or, with no inject, from the incident's declaration). Pure: entries (in time
// order, as readLabTimeline gives them) in, figures out.
import {
  MILESTONES,
  SEVERITIES,
  type IncidentFigures,
  type IncidentState,
  type Milestone,
  type Severity,
} from '../contract/incident-types.ts';
import type { TimelineEntry } from '../contract/timeline-types.ts';

const isMilestone = (value: unknown): value is Milestone => MILESTONES.includes(value as Milestone);
const isSeverity = (value: unknown): value is Severity => SEVERITIES.includes(value as Severity);

export const incidentState = (entries: TimelineEntry[]): IncidentState => {
  const state: IncidentState = {};
  for (const e of entries) {
    if (e.kind !== 'incident') continue;
    if (e.data?.event === 'declared' && !state.declared)
      state.declared = { at: e.at, actor: e.actor, title: String(e.data.title ?? '') };
    if (isSeverity(e.data?.severity)) state.severity = e.data.severity;
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
