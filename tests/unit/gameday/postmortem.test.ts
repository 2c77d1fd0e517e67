import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../core/contract/timeline-types.ts';
import type { GamedayState } from '../../../core/gameday/gameday-files.ts';
import { draftPostmortem, renderPostmortemMarkdown } from '../../../core/gameday/postmortem.ts';

const check = (ok: boolean, text: string) => ({ check: 'x {}', text, ok, detail: ok ? 'ok' : 'not yet' });

const state: GamedayState = {
  id: 'gameday-1',
  gameday: 'double-trouble',
  title: 'Carts, and then the cart store',
  file: '/x/double-trouble.yaml',
  lab: 'lab',
  pid: 1,
  state: 'ended',
  startedAt: '2026-01-01T10:00:00.000Z',
  endedAt: '2026-01-01T10:30:00.000Z',
  endReason: 'ended by local',
  clock: { startedAt: 0, speed: 1, pausedMs: 0, extendedMs: 0, timeBoxMs: 1_800_000 },
  injects: [
    {
      id: 'cart-gone',
      title: 'cartservice scaled to zero',
      landedAt: '2026-01-01T10:01:00.000Z',
      landedBy: 'schedule',
    },
    { id: 'cart-store-gone', title: 'redis-cart scaled to zero' },
  ],
  hintsRevealed: 1,
  steadyStateBefore: { ok: true, checks: [check(true, 'every Deployment available')] },
  steadyStateAfter: { ok: false, checks: [check(false, 'every Deployment available')] },
  objectives: { ok: true, checks: [check(true, 'cartservice available')] },
  rolledBack: true,
  customerImpact: { available: false, reason: 'no traffic data: the lab runs without monitoring' },
};

const entry = (
  at: string,
  kind: TimelineEntry['kind'],
  actor: string,
  text: string,
  data?: Record<string, unknown>,
): TimelineEntry => ({
  at: `2026-01-01T${at}.000Z`,
  kind,
  actor,
  text,
  ...(data ? { data } : {}),
});

const timeline: TimelineEntry[] = [
  entry('09:00:00', 'milestone', 'bob', 'detected (an earlier drill)', { name: 'detected' }),
  entry('10:00:00', 'gameday', 'local', 'game day started'),
  entry('10:01:00', 'inject', 'system', 'cartservice scaled to zero'),
  entry('10:03:30', 'milestone', 'alice', 'detected', { name: 'detected' }),
  entry('10:04:00', 'milestone', 'alice', 'acknowledged', { name: 'acknowledged' }),
  entry('10:05:00', 'command', 'carol', 'kubectl scale deploy/cartservice --replicas=1'),
  entry('10:06:00', 'milestone', 'carol', 'mitigated', { name: 'mitigated' }),
  entry('10:06:30', 'milestone', 'carol', 'detected again', { name: 'detected' }),
];

const script = { hints: ['one', 'two', 'three'], roles: ['commander', 'operator'] };

describe('the postmortem draft', () => {
  const pm = draftPostmortem(state, timeline, script);

  it("keeps the system's score apart from the responders'", () => {
    expect(pm.scores.system).toEqual({
      steadyStateBefore: true,
      steadyStateHeld: false,
      failingChecks: ['every Deployment available: not yet'],
      rolledBack: true,
      customerImpact: { available: false, reason: 'no traffic data: the lab runs without monitoring' },
    });
    expect(pm.scores.responders).toEqual({
      objectivesMet: true,
      timeToDetectSeconds: 150,
      timeToAcknowledgeSeconds: 180,
      timeToMitigateSeconds: 300,
      timeToResolveSeconds: null,
      hintsRevealed: 1,
      hintsAvailable: 3,
    });
  });

  it('fills the sections from the run and the timeline of its window', () => {
    expect(pm.sections.trigger).toBe('2026-01-01T10:01:00.000Z: cartservice scaled to zero (schedule)');
    expect(pm.sections.detection).toBe(
      'Detected by alice at 2026-01-01T10:03:30.000Z, 2m30s after the first inject.',
    );
    expect(pm.sections.resolution).toMatch(
      /^Mitigated by carol after 5m00s\. No resolution milestone was recorded\.$/,
    );
    expect(pm.sections.impact).toMatch(
      /did not hold after the rollback: every Deployment available.*Customer impact unknown: no traffic data/,
    );
    expect(pm.sections.timeline.map((e) => e.text)).not.toContain('detected (an earlier drill)');
    expect(pm.sections.responders).toEqual([
      { person: 'local', entries: 1 },
      { person: 'alice', entries: 2 },
      { person: 'carol', entries: 3 },
    ]);
    expect(pm.sections.expectedRoles).toEqual(['commander', 'operator']);
    expect(pm.sections.actionItems).toEqual([
      { type: 'prevent', text: expect.stringContaining('cartservice scaled to zero'), owner: 'unassigned' },
    ]);
  });

  it('renders every section of the template in Markdown, with both scores', () => {
    const md = renderPostmortemMarkdown(pm);
    const headings = md
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3));
    expect(headings).toEqual([
      'Summary',
      'Impact',
      'Trigger',
      'Detection',
      'Resolution',
      'Timeline',
      'Responders and roles',
      'What went well',
      'What went wrong',
      'Where we got lucky',
      'Action items',
      'Scores',
    ]);
    expect(md).toContain(
      '| prevent | Find out how "cartservice scaled to zero" could happen in production, and stop it. | unassigned |',
    );
    expect(md).toContain('- Steady state before: yes; held after the rollback: no');
    expect(md).toContain('- Time to detect 2m30s, acknowledge 3m00s, mitigate 5m00s, resolve not recorded');
    expect(md).toContain('- Hints revealed: 1 of 3');
  });
});
