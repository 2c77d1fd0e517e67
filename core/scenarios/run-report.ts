// The debrief of a run as Markdown: a postmortem draft with the score, the times, the steady
// state before and after, each step's outcome and the timeline.
import { sentenceOf } from './check-text.ts';
import type { RecordedCheck, RunState, TimelineEvent } from './run-files.ts';
import type { CustomerImpact } from '../contract/impact-types.ts';
import type { Scenario } from './scenario-types.ts';

const time = (iso?: string) => (iso ? iso.slice(11, 19) : '—');
const seconds = (from?: string, to?: string) =>
  from && to ? `${Math.round((Date.parse(to) - Date.parse(from)) / 1000)} s` : '—';

const describeEvent = (e: TimelineEvent): string => {
  const rest = Object.entries(e)
    .filter(([k]) => k !== 'at' && k !== 'type' && k !== 'results' && k !== 'checks')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  const checks = (e.results ?? e.checks) as RecordedCheck[] | undefined;
  const summary = checks ? ` — ${checks.map((c) => `${c.ok ? '✓' : '✗'} ${sentenceOf(c)}`).join('; ')}` : '';
  return `| ${time(e.at)} | ${e.type} | ${rest}${summary} |`;
};

const percent = (ratio: number) => `${Math.round(ratio * 10_000) / 100}%`;

/** The customer impact section's lines: the figures and their PromQL, or why there are none. */
export const impactLines = (impact: CustomerImpact | undefined): string[] => {
  if (!impact) return ['Not measured (the run is still going, or was recorded before this existed).'];
  if (!impact.available) return [`No traffic data: ${impact.reason.replace(/^no traffic data: /, '')}.`];
  const share = impact.checkouts > 0 ? ` (${percent(impact.failedCheckouts / impact.checkouts)})` : '';
  return [
    `| measure | during the run |`,
    `|---|---|`,
    `| failed checkouts | ${impact.failedCheckouts} of ${impact.checkouts}${share} |`,
    `| minutes with the checkout error ratio above the objective (${percent(1 - impact.objective)} errors, SLO ${percent(impact.objective)}) | ${impact.minutesJudged > 0 ? `${impact.minutesAboveObjective} of ${impact.minutesJudged} min` : 'too few checkouts to judge'} |`,
    '',
    'From the lab\'s Prometheus (Istio request metrics of checkoutservice\'s PlaceOrder):',
    '',
    '```promql',
    `# checkouts\n${impact.queries.checkouts}`,
    `# failed checkouts\n${impact.queries.failedCheckouts}`,
    `# error ratio (range query, every 15 s)\n${impact.queries.errorRatio}`,
    '```',
  ];
};

export const renderReport = (
  scenario: Scenario | undefined,
  state: RunState,
  timeline: TimelineEvent[],
): string => {
  const lines = [
    `# ${state.title} — ${state.state}`,
    '',
    `- Scenario: \`${state.scenario}\` on lab \`${state.lab}\`${state.autoSolve ? ' (auto-solved)' : ''}`,
    `- Score: **${state.score ?? 0}** of ${state.maxScore ?? '?'}`,
    `- Started ${state.startedAt}, ended ${state.endedAt ?? '(running)'} (${seconds(state.startedAt, state.endedAt)})`,
    ...(state.reason ? [`- Why it did not pass: ${state.reason}`] : []),
    `- Rolled back: ${state.rolledBack ? 'yes' : 'no'}`,
    '',
    '## Steady state',
    '',
    `| check | before | after |`,
    `|---|---|---|`,
    ...(state.steadyStateBefore?.checks ?? []).map((c, i) => {
      const after = state.steadyStateAfter?.checks[i];
      return `| ${sentenceOf(c)} | ${c.ok ? '✓' : '✗'} ${c.detail} | ${after ? `${after.ok ? '✓' : '✗'} ${after.detail}` : '—'} |`;
    }),
    '',
    '## Customer impact',
    '',
    ...impactLines(state.customerImpact),
    '',
    '## Steps',
    '',
    '| step | outcome | time | hints | solution |',
    '|---|---|---|---|---|',
    ...state.steps.map(
      (s) =>
        `| ${s.title} | ${s.state} | ${seconds(s.startedAt, s.endedAt)} | ${s.hintsRevealed} | ${s.solutionRevealed ? 'revealed' : 'no'} |`,
    ),
    '',
    '## Timeline',
    '',
    '| time | event | details |',
    '|---|---|---|',
    ...timeline.map(describeEvent),
  ];
  if (scenario?.debrief) lines.push('', '## Debrief', '', scenario.debrief.trim());
  return `${lines.join('\n')}\n`;
};
