// How the server shows scenarios and runs: the catalog's detail in seconds and points, a run with
// the hints and solution revealed (their text and cost, in the order asked), the deadline only
// for the running step, and the timeline in words with the learner's commands of the run.
import { describe, expect, it } from 'vitest';
import { findScenario } from '../../../core/scenarios/catalog.ts';
import type { RunState, TimelineEvent } from '../../../core/scenarios/run-files.ts';
import { durationMs } from '../../../core/scenarios/scenario-types.ts';
import { TIME_BONUS } from '../../../core/scenarios/scoring.ts';
import {
  runView,
  scenarioDetail,
  timelineEntries,
  withCommands,
} from '../../../core/server/services/scenario-views.ts';

const { scenario, file } = await findScenario('failover');
const [first, second] = scenario.steps as [(typeof scenario.steps)[0], (typeof scenario.steps)[0]];

const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, seconds)).toISOString();

const state = (): RunState => ({
  id: 'run-1',
  scenario: scenario.id,
  scenarioFile: file,
  title: scenario.title,
  lab: 'lab-a',
  pid: 1,
  autoSolve: false,
  state: 'running',
  startedAt: at(0),
  currentStep: 1,
  steps: scenario.steps.map((s, i) => ({
    id: s.id,
    title: s.title,
    state: i === 0 ? 'passed' : i === 1 ? 'running' : 'pending',
    ...(i < 2 ? { startedAt: at(i * 10), deadline: at(i * 10 + 300) } : {}),
    hintsRevealed: i === 0 ? 2 : 1,
    solutionRevealed: i === 1,
    checks: [{ check: 'nodesReady backend', ok: i === 0, detail: 'x' }],
  })),
});

describe('scenario views', () => {
  it('details a scenario with time boxes in seconds and its maximum score', () => {
    const detail = scenarioDetail(scenario);
    expect(detail.stepsDetail.map((s) => s.timeoutSeconds)).toEqual(
      scenario.steps.map((s) => durationMs(s.timeout) / 1000),
    );
    expect(detail.stepsDetail[0]).toMatchObject({
      id: first.id,
      text: first.text,
      hints: first.hints.length,
    });
    expect(detail.maxScore).toBe(
      scenario.steps.length * scenario.scoring.step + (scenario.scoring.timeBonus ? TIME_BONUS : 0),
    );
    expect(detail.steps).toBe(scenario.steps.length);
  });

  it('lists revealed hints and solutions in the order asked, with their text and cost', () => {
    const timeline: TimelineEvent[] = [
      { at: at(1), type: 'hint', step: first.id, index: 1 },
      { at: at(2), type: 'hint', step: first.id, index: 2 },
      { at: at(11), type: 'solution', step: second.id },
      { at: at(12), type: 'hint', step: second.id, index: 1 },
    ];
    const view = runView(state(), scenario, timeline, 'task-7');
    expect(view.revealed).toEqual([
      { step: first.id, kind: 'hint', text: first.hints[0], cost: -scenario.scoring.hint },
      { step: first.id, kind: 'hint', text: first.hints[1], cost: -scenario.scoring.hint },
      { step: second.id, kind: 'solution', text: second.solution, cost: -scenario.scoring.solution },
      { step: second.id, kind: 'hint', text: second.hints[0], cost: -scenario.scoring.hint },
    ]);
    expect(view.taskId).toBe('task-7');
    expect(view.revealed.every((r) => r.cost > 0)).toBe(true);
  });

  it('gives the deadline of the running step only', () => {
    const view = runView(state(), scenario, []);
    expect(view.steps.map((s) => s.deadline)).toEqual([undefined, at(310), undefined]);
    expect(view.steps[0]?.state).toBe('passed');
    expect(view).not.toHaveProperty('taskId');
  });

  it('carries each check in words, with the spec as written; older runs get the sentence back', () => {
    const spec = 'nodesReady {"pool":"backend","count":2}';
    const run: RunState = {
      ...state(),
      steadyStateBefore: {
        ok: true,
        checks: [{ check: 'deploymentsAvailable {"all":true}', ok: true, detail: '12 available' }],
      },
    };
    run.steps[0]!.checks = [{ check: spec, text: '2 Ready nodes in backend', ok: true, detail: 'x' }];
    run.steps[1]!.checks = [{ check: spec, ok: false, detail: '1 Ready in backend, want 2' }];
    const view = runView(run, scenario, []);
    expect(view.steps[0]?.checks).toEqual([
      { text: '2 Ready nodes in backend', check: spec, ok: true, detail: 'x' },
    ]);
    expect(view.steps[1]?.checks[0]?.text).toBe('2 Ready nodes in backend');
    expect(view.steadyStateBefore?.checks).toEqual([
      {
        text: 'every Deployment available',
        check: 'deploymentsAvailable {"all":true}',
        ok: true,
        detail: '12 available',
      },
    ]);
    const [entry] = timelineEntries(
      [{ at: at(1), type: 'steady-state', when: 'before', ok: true, checks: run.steadyStateBefore!.checks }],
      scenario,
    );
    expect(entry?.text).toBe('steady state before: holds — ✓ every Deployment available (12 available)');
  });

  it('tells the timeline in words, with the commands typed while the run went on', () => {
    const run = { ...state(), state: 'passed' as const, endedAt: at(40) };
    const timeline: TimelineEvent[] = [
      { at: at(0), type: 'run-start', scenario: 'failover', lab: 'lab-a', autoSolve: false },
      {
        at: at(1),
        type: 'action',
        phase: `step ${first.id}`,
        action: 'failNode',
        detail: 'failed backend-1',
      },
      { at: at(2), type: 'hint', step: first.id, index: 1 },
      {
        at: at(5),
        type: 'checks',
        step: first.id,
        results: [{ check: 'nodesReady backend', ok: false, detail: '1 of 2' }],
      },
      { at: at(9), type: 'step-passed', step: first.id },
      { at: at(40), type: 'run-end', state: 'passed', score: 330 },
    ];
    const commands = [
      { at: at(-5), command: 'kubectl get nodes', source: 'shell' },
      { at: at(3), command: 'kubectl get pods -o wide', source: 'shell' },
      { at: at(50), command: 'kubectl get events', source: 'shell' },
    ];
    const entries = timelineEntries(withCommands(run, timeline, commands), scenario);
    expect(entries.map((e) => e.text)).toEqual([
      'run started: scenario failover on lab lab-a',
      `step ${first.id}: failNode: failed backend-1`,
      `hint 1 of step "${first.title}" revealed`,
      'learner ran: kubectl get pods -o wide',
      `checks of step "${first.title}": ✗ nodesReady backend (1 of 2)`,
      `step "${first.title}" passed`,
      'run ended: passed, score 330',
    ]);
    expect(entries.map((e) => e.type)).toContain('command');
  });
});
