// Share events on the lab timeline: sharing started or stopped, a participant joined or left.
// The timeline must never stop sharing: a failed write is logged.
import { LOCAL_ACTOR } from '../contract/timeline-types.ts';
import { appendLabTimeline } from '../lab/lab-timeline.ts';

export const recordShareEvent = (
  lab: string,
  text: string,
  log: (line: string) => void,
  actor: string = LOCAL_ACTOR,
): Promise<void> =>
  appendLabTimeline(lab, { kind: 'share', actor, text }).then(
    () => undefined,
    (error: unknown) => log(`timeline: cannot record "${text}" for lab ${lab}: ${String(error)}`),
  );
