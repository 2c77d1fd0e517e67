// The incident's figures: from the first inject (or the declaration) to the first milestone of
// each name, as the postmortem and the incident bar show them.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../core/contract/incident-types.ts';
import type { TimelineEntry } from '../../../core/contract/timeline-types.ts';
import { incidentFigures, incidentState } from '../../../core/lab/incident-figures.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 5, 20, 0) + minutes * 60_000).toISOString();
const entry = (minutes: number, kind: TimelineEntry['kind'], data?: Record<string, unknown>, actor = 'ana') =>
  ({ at: at(minutes), kind, actor, text: kind, ...(data ? { data } : {}) }) satisfies TimelineEntry;
const milestone = (minutes: number, name: string, actor = 'ana') =>
  entry(minutes, 'milestone', { name }, actor);

describe('incident figures', () => {
  it('measures each milestone from the first inject, keeping the first of each name', () => {
    const figures = incidentFigures([
      entry(0, 'inject', undefined, 'system'),
      entry(1, 'incident', { event: 'declared', severity: 'SEV2', title: 'cart down' }),
      milestone(3, 'detected'),
      entry(4, 'inject', undefined, 'system'),
      milestone(5, 'acknowledged', 'bo'),
      milestone(6, 'detected', 'bo'),
      milestone(12, 'mitigated'),
      milestone(20, 'resolved'),
    ]);
    expect(figures.start).toEqual({ at: at(0), from: 'inject' });
    expect(figures.timeTo).toEqual({
      detected: 3 * 60_000,
      acknowledged: 5 * 60_000,
      mitigated: 12 * 60_000,
      resolved: 20 * 60_000,
    });
    expect(figures.milestones.detected).toEqual({ at: at(3), actor: 'ana' });
    expect(figures.milestones.acknowledged?.actor).toBe('bo');
  });

  it('starts from the declaration when nothing was injected, and leaves unreached milestones out', () => {
    const figures = incidentFigures([
      entry(2, 'incident', { event: 'declared', severity: 'SEV3', title: 'slow checkout' }),
      milestone(7, 'acknowledged'),
    ]);
    expect(figures.start).toEqual({ at: at(2), from: 'declared' });
    expect(figures.timeTo).toEqual({ acknowledged: 5 * 60_000 });
  });

  it('has no clock without an inject or a declaration, yet still lists the milestones', () => {
    const figures = incidentFigures([milestone(1, 'detected'), entry(2, 'milestone', { name: 'bogus' })]);
    expect(figures.start).toBeUndefined();
    expect(figures.timeTo).toEqual({});
    expect(Object.keys(figures.milestones)).toEqual(['detected']);
  });

  it('keeps the first declaration and the latest severity', () => {
    const state = incidentState([
      entry(1, 'incident', { event: 'declared', severity: 'SEV3', title: 'cart errors' }),
      entry(2, 'incident', { event: 'severity', severity: 'SEV1' }, 'bo'),
      entry(3, 'incident', { event: 'declared', severity: 'SEV4', title: 'again' }),
    ]);
    expect(state).toEqual({ declared: { at: at(1), actor: 'ana', title: 'cart errors' }, severity: 'SEV4' });
  });

  it('prints durations as people read them', () => {
    expect([12_000, 245_000, 3_720_000].map(formatDuration)).toEqual(['12s', '4m 05s', '1h 02m']);
  });
});
