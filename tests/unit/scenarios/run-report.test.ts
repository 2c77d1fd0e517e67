// The Markdown debrief says each check in words, for the steady state and the timeline alike.
import { describe, expect, it } from 'vitest';
import type { RunState, TimelineEvent } from '../../../core/scenarios/run-files.ts';
import { renderReport } from '../../../core/scenarios/run-report.ts';

const run: RunState = {
  id: 'run-1',
  scenario: 'failover',
  scenarioFile: '/x/failover.yaml',
  title: 'A backend node dies',
  lab: 'kartstream',
  pid: 1,
  autoSolve: false,
  state: 'passed',
  startedAt: '2026-12-04T12:00:00.000Z',
  endedAt: '2026-12-04T12:05:00.000Z',
  currentStep: 0,
  steps: [],
  // One recorded with its sentence, one from before sentences existed.
  steadyStateBefore: {
    ok: true,
    checks: [
      { check: 'deploymentsAvailable {"all":true}', text: 'every Deployment available', ok: true, detail: '12 available' },
      { check: 'nodesReady {"pool":"backend","count":2}', ok: true, detail: '2 Ready in backend, want 2' },
    ],
  },
  steadyStateAfter: { ok: true, checks: [] },
};

describe('renderReport', () => {
  it('writes checks as sentences, not JSON', () => {
    const timeline: TimelineEvent[] = [
      {
        at: '2026-12-04T12:01:00.000Z',
        type: 'checks',
        step: 'restore',
        results: [{ check: 'pendingPods {"max":0}', text: 'no Pending pods', ok: false, detail: '3 Pending' }],
      },
    ];
    const md = renderReport(undefined, run, timeline);
    expect(md).toContain('| every Deployment available | ✓ 12 available | — |');
    expect(md).toContain('| 2 Ready nodes in backend | ✓ 2 Ready in backend, want 2 | — |');
    expect(md).toContain('| 12:01:00 | checks | step: restore — ✗ no Pending pods |');
    expect(md).not.toMatch(/\{"/);
  });
});
