// The one visibility rule: injects are hidden from responders until a game day ends after them.
import { describe, expect, it } from 'vitest';
import { timelineViewerOf } from '../../../core/contract/roles.ts';
import type { TimelineEntry } from '../../../core/contract/timeline-types.ts';
import { visibleTimeline } from '../../../core/lab/timeline-visibility.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 5, 20, minutes)).toISOString();
const inject = (minutes: number, text: string): TimelineEntry => ({
  at: at(minutes),
  kind: 'inject',
  actor: 'system',
  text,
  hidden: true,
});
const ended = (minutes: number): TimelineEntry => ({
  at: at(minutes),
  kind: 'gameday',
  actor: 'system',
  text: 'game day ended',
  data: { event: 'ended' },
});
const warning: TimelineEntry = { at: at(2), kind: 'warning', actor: 'system', text: 'BackOff pod/cart' };
const texts = (entries: TimelineEntry[]) => entries.map((e) => e.text);

describe('timeline visibility', () => {
  const running = [inject(1, 'kill cart'), warning];

  it('hides injects from responders while the game day runs, never from the facilitator', () => {
    expect(texts(visibleTimeline(running, 'responder'))).toEqual(['BackOff pod/cart']);
    expect(texts(visibleTimeline(running, 'all'))).toEqual(['kill cart', 'BackOff pod/cart']);
  });

  it('reveals to everybody the injects of a game day that ended, not those of a later one', () => {
    const entries = [...running, ended(5), inject(8, 'fail node')];
    expect(texts(visibleTimeline(entries, 'responder'))).toEqual([
      'kill cart',
      'BackOff pod/cart',
      'game day ended',
    ]);
  });

  it('gives the local user and facilitators everything, other roles the responder view', () => {
    const participant = (role: 'facilitator' | 'scribe' | 'observer') =>
      timelineViewerOf({ kind: 'participant', inviteId: 'abcd1234', person: 'ana', role, lab: 'l' });
    expect(timelineViewerOf({ kind: 'local' })).toBe('all');
    expect([participant('facilitator'), participant('scribe'), participant('observer')]).toEqual([
      'all',
      'responder',
      'responder',
    ]);
  });
});
