// Who sees which timeline entries: the one rule (docs/gameday.md). Hidden entries (injects, what
// a game day keeps for the end) are shown to the local user and facilitators at once, and to
// everybody once a game day that ended after them ended: its `gameday` entry with event `ended`.
import type { TimelineViewer } from '../contract/roles.ts';
import type { TimelineEntry } from '../contract/timeline-types.ts';

const endedAt = (entries: TimelineEntry[]): string[] =>
  entries.filter((e) => e.kind === 'gameday' && e.data?.event === 'ended').map((e) => e.at);

export const visibleTimeline = (entries: TimelineEntry[], viewer: TimelineViewer): TimelineEntry[] => {
  if (viewer === 'all') return entries;
  const ends = endedAt(entries);
  return entries.filter((e) => !e.hidden || ends.some((end) => end >= e.at));
};
