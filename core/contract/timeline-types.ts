// The shared timeline of a lab (issue #17, docs/gameday.md): one record of what happened while
// the lab was shared or a game day ran, written by the server, the CLI and the audit tailer, read
// by the app, `kartstream timeline` and the postmortem draft.
import { z } from 'zod';

export const TIMELINE_KINDS = [
  'inject', // a fault a facilitator or game day injected (hidden from responders until the end)
  'warning', // a Warning event of the cluster
  'change', // a change to the cluster, from the API server's audit log
  'alert', // an alert began firing or resolved
  'command', // a command typed in a lab terminal or console
  'note', // a scribe's note
  'milestone', // detected, acknowledged, mitigated, resolved
  'incident', // declared, severity changed
  'gameday', // started, paused, resumed, extended, ended
  'hint', // a hint revealed to the team
  'share', // sharing started or stopped, a participant joined or left
  'scenario', // a scenario run that was interrupted (its runner died) and rolled back
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** Who did it: a participant's person name, `local` for the lab's owner, or `system`. */
export const SYSTEM_ACTOR = 'system';
export const LOCAL_ACTOR = 'local';

export const timelineEntrySchema = z.object({
  at: z.iso.datetime(),
  kind: z.enum(TIMELINE_KINDS),
  actor: z.string().min(1),
  text: z.string(),
  /** Injects and what a game day keeps for the end: not shown to responders while it runs. */
  hidden: z.boolean().optional(),
  /** Kind-specific detail (a milestone's name, an alert's labels, an audit event's object). */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
