// Scenario data as the renderer sees it: catalog entries, a run (with the hints and solutions
// revealed so far, in the order they were asked for), and the timeline in words.
import type {
  CheckView,
  RunView,
  ScenarioDetail,
  ScenarioSummary,
  TimelineEntry,
} from '../../contract/wire-types.ts';
import { sentenceOf } from '../../scenarios/check-text.ts';
import type { RecordedCheck, RunState, TimelineEvent } from '../../scenarios/run-files.ts';
import { durationMs, type Scenario } from '../../scenarios/scenario-types.ts';
import { maxScore } from '../../scenarios/scoring.ts';

export const scenarioSummary = (s: Scenario): ScenarioSummary => ({
  id: s.id,
  title: s.title,
  summary: s.summary,
  level: s.level,
  minutes: s.minutes,
  backends: [...s.backends],
  requires: [...s.requires],
  objectives: [...s.objectives],
  steps: s.steps.length,
});

export const scenarioDetail = (s: Scenario): ScenarioDetail => ({
  ...scenarioSummary(s),
  stepsDetail: s.steps.map((step) => ({
    id: step.id,
    title: step.title,
    text: step.text,
    timeoutSeconds: durationMs(step.timeout) / 1000,
    hints: step.hints.length,
  })),
  scoring: { ...s.scoring },
  maxScore: maxScore(s),
  debrief: s.debrief,
});

// The hints and solutions revealed, in the order the timeline recorded them. Costs are the points
// each one takes off (positive numbers: a hint scored -20 costs 20).
const revealedOf = (scenario: Scenario | undefined, timeline: TimelineEvent[]): RunView['revealed'] => {
  if (!scenario) return [];
  const revealed: RunView['revealed'] = [];
  for (const event of timeline) {
    const step = scenario.steps.find((s) => s.id === event.step);
    if (!step) continue;
    if (event.type === 'hint' && typeof event.index === 'number') {
      const text = step.hints[event.index - 1];
      if (text !== undefined)
        revealed.push({ step: step.id, kind: 'hint', text, cost: -scenario.scoring.hint });
    } else if (event.type === 'solution') {
      revealed.push({
        step: step.id,
        kind: 'solution',
        text: step.solution,
        cost: -scenario.scoring.solution,
      });
    }
  }
  return revealed;
};

// A recorded check result with its sentence (worked out again for runs recorded without one).
const checkView = (c: RecordedCheck): CheckView => ({
  text: sentenceOf(c),
  check: c.check,
  ok: c.ok,
  detail: c.detail,
});

const steadyStateView = (s: { ok: boolean; checks: RecordedCheck[] }) => ({
  ok: s.ok,
  checks: s.checks.map(checkView),
});

export const runView = (
  state: RunState,
  scenario: Scenario | undefined,
  timeline: TimelineEvent[],
  taskId?: string,
): RunView => ({
  id: state.id,
  scenario: state.scenario,
  title: state.title,
  lab: state.lab,
  state: state.state,
  startedAt: state.startedAt,
  ...(state.endedAt ? { endedAt: state.endedAt } : {}),
  currentStep: state.currentStep,
  steps: state.steps.map((s) => ({
    id: s.id,
    title: s.title,
    state: s.state,
    ...(s.startedAt ? { startedAt: s.startedAt } : {}),
    ...(s.endedAt ? { endedAt: s.endedAt } : {}),
    ...(s.state === 'running' && s.deadline ? { deadline: s.deadline } : {}),
    hintsRevealed: s.hintsRevealed,
    solutionRevealed: s.solutionRevealed,
    checks: s.checks.map(checkView),
  })),
  ...(state.steadyStateBefore ? { steadyStateBefore: steadyStateView(state.steadyStateBefore) } : {}),
  ...(state.steadyStateAfter ? { steadyStateAfter: steadyStateView(state.steadyStateAfter) } : {}),
  ...(state.customerImpact ? { customerImpact: state.customerImpact } : {}),
  ...(state.score !== undefined ? { score: state.score } : {}),
  ...(state.maxScore !== undefined ? { maxScore: state.maxScore } : {}),
  ...(state.reason ? { reason: state.reason } : {}),
  revealed: revealedOf(scenario, timeline),
  ...(taskId ? { taskId } : {}),
});

const checksText = (checks: unknown): string =>
  Array.isArray(checks)
    ? (checks as RecordedCheck[])
        .map((c) => `${c.ok ? '✓' : '✗'} ${sentenceOf(c)}${c.detail ? ` (${c.detail})` : ''}`)
        .join('; ')
    : '';

const str = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

// One timeline event in words.
export const timelineText = (event: TimelineEvent, scenario?: Scenario): string => {
  const stepTitle = (id: unknown) => {
    const step = scenario?.steps.find((s) => s.id === id);
    return step ? `"${step.title}"` : `"${str(id)}"`;
  };
  switch (event.type) {
    case 'run-start':
      return `run started: scenario ${str(event.scenario)} on lab ${str(event.lab)}${event.autoSolve ? ' (auto-solve)' : ''}`;
    case 'action':
      return `${str(event.phase)}: ${str(event.action)}: ${str(event.detail)}`;
    case 'steady-state':
      return `steady state ${str(event.when)}: ${event.ok ? 'holds' : 'does not hold'} — ${checksText(event.checks)}`;
    case 'step-start':
      return `step ${stepTitle(event.step)} started`;
    case 'checks':
      return `checks of step ${stepTitle(event.step)}: ${checksText(event.results)}`;
    case 'hint':
      return `hint ${str(event.index)} of step ${stepTitle(event.step)} revealed`;
    case 'solution':
      return `solution of step ${stepTitle(event.step)} revealed`;
    case 'step-passed':
      return `step ${stepTitle(event.step)} passed`;
    case 'step-timed-out':
      return `step ${stepTitle(event.step)} timed out`;
    case 'step-aborted':
      return `step ${stepTitle(event.step)} aborted`;
    case 'auto-solve':
      return `auto-solve runs the solution of step ${stepTitle(event.step)}`;
    case 'auto-solve-failed':
      return `auto-solve of step ${stepTitle(event.step)} failed: ${str(event.error)}`;
    case 'command':
      return `${event.source === 'auto-solve' ? 'auto-solve ran' : 'learner ran'}: ${str(event.command)}`;
    case 'error':
      return `error: ${str(event.error)}`;
    case 'rollback-failed':
      return `rollback ${str(event.action)} failed: ${str(event.error)}`;
    case 'recovered':
      return `recovered: ${str(event.reason)}`;
    case 'run-end':
      return `run ended: ${str(event.state)}, score ${str(event.score)}`;
    default:
      return Object.entries(event)
        .filter(([k]) => k !== 'at' && k !== 'type')
        .map(([k, v]) => `${k}: ${str(v)}`)
        .join(', ');
  }
};

export const timelineEntries = (events: TimelineEvent[], scenario?: Scenario): TimelineEntry[] =>
  events.map((e) => ({ at: e.at, type: e.type, text: timelineText(e, scenario) }));

// The run's timeline with the commands typed in the lab (or run by auto-solve) while it ran, in
// time order: what the learner did belongs in the postmortem.
export const withCommands = (
  state: RunState,
  timeline: TimelineEvent[],
  commands: { at: string; command: string; source: string }[],
): TimelineEvent[] => {
  const end = state.endedAt ?? '\uffff';
  const during = commands
    .filter((c) => c.at >= state.startedAt && c.at <= end)
    .map((c): TimelineEvent => ({ at: c.at, type: 'command', command: c.command, source: c.source }));
  // A stable merge: events at the same instant keep the timeline first.
  return [...timeline, ...during].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
};
