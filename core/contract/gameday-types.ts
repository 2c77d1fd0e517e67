// What the game day (issue #17, docs/gameday.md) shows across the API: a person's view of the
// running game day, and the postmortem draft with its two scores. Built in core/gameday/.
import { z } from 'zod';
import type { CustomerImpact } from './impact-types.ts';

/** One check's result, as the scenario checks report it. */
export interface GamedayCheck {
  check: string;
  text: string;
  ok: boolean;
  detail: string;
}

export interface ChecksOutcome {
  ok: boolean;
  checks: GamedayCheck[];
}

/** What is coming, for the facilitator: each inject not landed, with when it lands. */
export interface UpcomingInject {
  id: string;
  title: string;
  /** For `at`: game ms until it lands (0 when due). */
  inMs?: number;
  /** For `when`: the condition in words, and whether it is watched yet. */
  when?: string;
  armed?: boolean;
  after?: string;
}

export interface GamedayView {
  run: string;
  gameday: string;
  title: string;
  lab: string;
  state: 'running' | 'paused' | 'ended';
  startedAt: string;
  endedAt?: string;
  endReason?: string;
  briefing: string;
  roles: string[];
  speed: number;
  elapsedSeconds: number;
  remainingSeconds: number;
  hints: string[];
  hintsLeft: number;
  steadyStateBefore?: ChecksOutcome;
  steadyStateAfter?: ChecksOutcome;
  objectives?: ChecksOutcome;
  rolledBack?: boolean;
  /** Facilitator, or everyone once ended. */
  injects?: { id: string; title: string; landedAt?: string; landedBy?: string }[];
  /** Facilitator only, while it runs. */
  upcoming?: UpcomingInject[];
}

export const MILESTONES = ['detected', 'acknowledged', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];
export const ACTION_ITEM_TYPES = ['mitigate', 'prevent', 'process'] as const;

export interface ActionItem {
  type: (typeof ACTION_ITEM_TYPES)[number];
  text: string;
  owner: string;
}

export interface PostmortemSections {
  summary: string;
  impact: string;
  trigger: string;
  detection: string;
  resolution: string;
  timeline: { at: string; kind: string; actor: string; text: string }[];
  responders: { person: string; entries: number }[];
  expectedRoles: string[];
  wentWell: string[];
  wentWrong: string[];
  gotLucky: string[];
  actionItems: ActionItem[];
}

export interface SystemScore {
  steadyStateBefore: boolean | null;
  steadyStateHeld: boolean | null;
  failingChecks: string[];
  rolledBack: boolean;
  customerImpact: CustomerImpact | null;
}

export interface RespondersScore {
  objectivesMet: boolean | null;
  /** Seconds from the first inject to each milestone, null when it was never recorded. */
  timeToDetectSeconds: number | null;
  timeToAcknowledgeSeconds: number | null;
  timeToMitigateSeconds: number | null;
  timeToResolveSeconds: number | null;
  hintsRevealed: number;
  hintsAvailable: number;
}

export interface Postmortem {
  run: string;
  gameday: string;
  title: string;
  lab: string;
  startedAt: string;
  endedAt: string | null;
  sections: PostmortemSections;
  scores: { system: SystemScore; responders: RespondersScore };
}

const lines = z.array(z.string());
/** The sections the team may edit and save. */
export const postmortemSectionsSchema = z.strictObject({
  summary: z.string(),
  impact: z.string(),
  trigger: z.string(),
  detection: z.string(),
  resolution: z.string(),
  timeline: z.array(
    z.strictObject({ at: z.string(), kind: z.string(), actor: z.string(), text: z.string() }),
  ),
  responders: z.array(z.strictObject({ person: z.string(), entries: z.number() })),
  expectedRoles: lines,
  wentWell: lines,
  wentWrong: lines,
  gotLucky: lines,
  actionItems: z.array(
    z.strictObject({
      type: z.enum(ACTION_ITEM_TYPES),
      text: z.string().min(1, 'an action item needs its text'),
      owner: z.string().min(1, 'an action item needs an owner (a person, or "unassigned")'),
    }),
  ),
});

/** A facilitator's request to a running game day. */
export type GamedayRequest =
  | { type: 'pause' | 'resume' | 'end' | 'hint' }
  | { type: 'inject'; inject: string }
  | { type: 'extend'; minutes: number };

export interface GamedaySummary {
  id: string;
  title: string;
  timeBox: string;
  roles: string[];
  injects: number;
  hints: number;
}

/** The postmortem as the app shows it: the draft, and the same rendered as Markdown for export. */
export interface PostmortemReport {
  postmortem: Postmortem;
  markdown: string;
}
