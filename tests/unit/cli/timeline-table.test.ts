// What `kartstream timeline` prints: one row per entry with its time, kind, actor and text,
// hidden entries marked, and the incident's figures below.
import { describe, expect, it } from 'vitest';
import { timelineTable } from '../../../core/cli/timeline-command.ts';
import type { TimelineEntry } from '../../../core/contract/timeline-types.ts';
import { incidentFigures, incidentState } from '../../../core/lab/incident-figures.ts';

const entries: TimelineEntry[] = [
  { at: '2026-12-05T20:00:00.000Z', kind: 'inject', actor: 'system', text: 'kill cartservice', hidden: true },
  {
    at: '2026-12-05T20:01:00.000Z',
    kind: 'incident',
    actor: 'ana',
    text: 'incident declared (SEV2): cart down',
    data: { event: 'declared', severity: 'SEV2', title: 'cart down' },
  },
  {
    at: '2026-12-05T20:02:30.000Z',
    kind: 'milestone',
    actor: 'bo',
    text: 'milestone: detected',
    data: { name: 'detected' },
  },
];

describe('timeline table', () => {
  it('lines up each entry and sums up the incident', () => {
    const text = timelineTable({
      lab: 'team',
      entries,
      incident: incidentState(entries),
      figures: incidentFigures(entries),
    });
    expect(text.split('\n')).toEqual([
      'timeline of lab team, 2026-12-05 (UTC)',
      'TIME      KIND       ACTOR   TEXT',
      '20:00:00  inject     system  kill cartservice (hidden from responders)',
      '20:01:00  incident   ana     incident declared (SEV2): cart down',
      '20:02:30  milestone  bo      milestone: detected',
      '',
      'incident: cart down (SEV2), declared by ana',
      'time to detected 2m 30s, acknowledged -, mitigated -, resolved - (from the first inject)',
    ]);
  });
});
