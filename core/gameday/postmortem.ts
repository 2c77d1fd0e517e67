// The postmortem draft of a game day (docs/gameday.md): the sections of Google's SRE postmortem
// template and PagerDuty's, filled from the run and the lab's timeline, for the team to edit; and
// two scores kept apart: the system's (did the steady state hold, what did shoppers feel) and the
// responders' (how fast they detected, acknowledged, mitigated and resolved; how many hints).
import {
  MILESTONES,
  type Milestone,
  type Postmortem,
  type RespondersScore,
  type SystemScore,
} from '../contract/gameday-types.ts';
import { SYSTEM_ACTOR, type TimelineEntry } from '../contract/timeline-types.ts';
import type { GamedayState } from './gameday-files.ts';

const seconds = (from: string | undefined, to: string | undefined): number | null =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null;

const minutesText = (s: number | null) =>
  s === null ? 'not recorded' : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;

/** The first time of each milestone at or after `from` (milestones of an earlier incident do not count). */
export const milestoneTimes = (
  entries: readonly TimelineEntry[],
  from: string | undefined,
): Partial<Record<Milestone, TimelineEntry>> => {
  const found: Partial<Record<Milestone, TimelineEntry>> = {};
  for (const e of entries) {
    const name = e.data?.name;
    if (
      e.kind !== 'milestone' ||
      typeof name !== 'string' ||
      !(MILESTONES as readonly string[]).includes(name)
    )
      continue;
    if (from && e.at < from) continue;
    found[name as Milestone] ??= e;
  }
  return found;
};

const impactText = (state: GamedayState): string => {
  const lines: string[] = [];
  const after = state.steadyStateAfter;
  if (after)
    lines.push(
      after.ok
        ? 'The steady state held again after the rollback.'
        : `The steady state did not hold after the rollback: ${after.checks
            .filter((c) => !c.ok)
            .map((c) => c.text)
            .join('; ')}.`,
    );
  const impact = state.customerImpact;
  if (impact?.available)
    lines.push(
      `${impact.failedCheckouts} of ${impact.checkouts} checkouts failed; the checkout error ratio stayed above its objective (${impact.objective}) for ${impact.minutesAboveObjective} of ${impact.minutesJudged} judged minutes.`,
    );
  else if (impact) lines.push(`Customer impact unknown: ${impact.reason}.`);
  return lines.join(' ');
};

// The draft, from the run and the lab's timeline (all of it: injects are revealed at the end).
export const draftPostmortem = (
  state: GamedayState,
  entries: readonly TimelineEntry[],
  script: { hints: readonly string[]; roles: readonly string[] },
): Postmortem => {
  const during = entries.filter((e) => e.at >= state.startedAt && (!state.endedAt || e.at <= state.endedAt));
  const landed = state.injects
    .filter((i) => i.landedAt)
    .sort((a, b) => a.landedAt!.localeCompare(b.landedAt!));
  const first = landed[0]?.landedAt;
  const milestones = milestoneTimes(during, first);
  const since = (m: Milestone) => seconds(first, milestones[m]?.at);
  const people = new Map<string, number>();
  for (const e of during)
    if (e.actor !== SYSTEM_ACTOR && e.kind !== 'inject') people.set(e.actor, (people.get(e.actor) ?? 0) + 1);
  const objectivesMet = state.objectives ? state.objectives.ok : null;
  const responders: RespondersScore = {
    objectivesMet,
    timeToDetectSeconds: since('detected'),
    timeToAcknowledgeSeconds: since('acknowledged'),
    timeToMitigateSeconds: since('mitigated'),
    timeToResolveSeconds: since('resolved'),
    hintsRevealed: state.hintsRevealed,
    hintsAvailable: script.hints.length,
  };
  const system: SystemScore = {
    steadyStateBefore: state.steadyStateBefore?.ok ?? null,
    steadyStateHeld: state.steadyStateAfter?.ok ?? null,
    failingChecks: (state.steadyStateAfter?.checks ?? [])
      .filter((c) => !c.ok)
      .map((c) => `${c.text}: ${c.detail}`),
    rolledBack: state.rolledBack === true,
    customerImpact: state.customerImpact ?? null,
  };
  const detectedBy = milestones.detected;
  const wentWell = [
    ...(objectivesMet ? ['The team met every objective before the end.'] : []),
    ...(detectedBy
      ? [`The fault was detected ${minutesText(responders.timeToDetectSeconds)} after the first inject.`]
      : []),
  ];
  const wentWrong = [
    ...(objectivesMet === false
      ? state
          .objectives!.checks.filter((c) => !c.ok)
          .map((c) => `Objective not met: ${c.text} (${c.detail}).`)
      : []),
    ...(detectedBy ? [] : ['No detection was recorded: nobody marked the incident as detected.']),
    ...(state.hintsRevealed > 0
      ? [`The team needed ${state.hintsRevealed} hint${state.hintsRevealed === 1 ? '' : 's'}.`]
      : []),
  ];
  return {
    run: state.id,
    gameday: state.gameday,
    title: state.title,
    lab: state.lab,
    startedAt: state.startedAt,
    endedAt: state.endedAt ?? null,
    sections: {
      summary: `Game day "${state.title}" on lab ${state.lab}: ${landed.length} of ${state.injects.length} injected faults landed; ${objectivesMet === null ? 'the objectives were not checked' : objectivesMet ? 'the team met its objectives' : 'the team did not meet all its objectives'}${state.endReason ? ` (${state.endReason})` : ''}.`,
      impact: impactText(state),
      trigger: landed.length
        ? landed.map((i) => `${i.landedAt}: ${i.title} (${i.landedBy ?? 'schedule'})`).join('\n')
        : 'No fault was injected.',
      detection: detectedBy
        ? `Detected by ${detectedBy.actor} at ${detectedBy.at}, ${minutesText(responders.timeToDetectSeconds)} after the first inject.`
        : 'No detection milestone was recorded.',
      resolution: [
        milestones.mitigated
          ? `Mitigated by ${milestones.mitigated.actor} after ${minutesText(responders.timeToMitigateSeconds)}.`
          : 'No mitigation milestone was recorded.',
        milestones.resolved
          ? `Resolved by ${milestones.resolved.actor} after ${minutesText(responders.timeToResolveSeconds)}.`
          : 'No resolution milestone was recorded.',
      ].join(' '),
      timeline: during.map(({ at, kind, actor, text }) => ({ at, kind, actor, text })),
      responders: [...people].map(([person, n]) => ({ person, entries: n })),
      expectedRoles: [...script.roles],
      wentWell,
      wentWrong,
      gotLucky: [],
      actionItems: landed.map((i) => ({
        type: 'prevent' as const,
        text: `Find out how "${i.title}" could happen in production, and stop it.`,
        owner: 'unassigned',
      })),
    },
    scores: { system, responders },
  };
};

const list = (items: readonly string[]) =>
  items.length ? items.map((i) => `- ${i}`).join('\n') : '- (none yet)';
const yesNo = (v: boolean | null) => (v === null ? 'not checked' : v ? 'yes' : 'no');

export const renderPostmortemMarkdown = (pm: Postmortem): string => {
  const s = pm.sections;
  const { system, responders } = pm.scores;
  const impact = system.customerImpact;
  return [
    `# Postmortem: ${pm.title}`,
    '',
    `Game day \`${pm.gameday}\` on lab \`${pm.lab}\`, ${pm.startedAt} to ${pm.endedAt ?? '(still running)'}. Status: draft.`,
    '',
    '## Summary',
    '',
    s.summary,
    '',
    '## Impact',
    '',
    s.impact || '(none recorded)',
    '',
    '## Trigger',
    '',
    s.trigger,
    '',
    '## Detection',
    '',
    s.detection,
    '',
    '## Resolution',
    '',
    s.resolution,
    '',
    '## Timeline',
    '',
    ...(s.timeline.length
      ? s.timeline.map((e) => `- ${e.at} [${e.kind}] ${e.actor}: ${e.text}`)
      : ['- (empty)']),
    '',
    '## Responders and roles',
    '',
    ...(s.responders.length
      ? s.responders.map((r) => `- ${r.person} (${r.entries} timeline entries)`)
      : ['- (nobody recorded an action)']),
    ...(s.expectedRoles.length ? ['', `Roles the game day expected: ${s.expectedRoles.join(', ')}.`] : []),
    '',
    '## What went well',
    '',
    list(s.wentWell),
    '',
    '## What went wrong',
    '',
    list(s.wentWrong),
    '',
    '## Where we got lucky',
    '',
    list(s.gotLucky),
    '',
    '## Action items',
    '',
    '| type | item | owner |',
    '|---|---|---|',
    ...s.actionItems.map((a) => `| ${a.type} | ${a.text.replace(/\|/g, '\\|')} | ${a.owner} |`),
    '',
    '## Scores',
    '',
    '### The system',
    '',
    `- Steady state before: ${yesNo(system.steadyStateBefore)}; held after the rollback: ${yesNo(system.steadyStateHeld)}`,
    `- Customer impact: ${impact === null ? 'not measured' : impact.available ? `${impact.failedCheckouts}/${impact.checkouts} checkouts failed, ${impact.minutesAboveObjective} min above the objective` : impact.reason}`,
    '',
    '### The responders',
    '',
    `- Objectives met: ${yesNo(responders.objectivesMet)}`,
    `- Time to detect ${minutesText(responders.timeToDetectSeconds)}, acknowledge ${minutesText(responders.timeToAcknowledgeSeconds)}, mitigate ${minutesText(responders.timeToMitigateSeconds)}, resolve ${minutesText(responders.timeToResolveSeconds)}`,
    `- Hints revealed: ${responders.hintsRevealed} of ${responders.hintsAvailable}`,
    '',
  ].join('\n');
};
