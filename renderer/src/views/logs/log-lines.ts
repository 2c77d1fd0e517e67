// The lines a Logs panel keeps: every pod's lines in time order, newest last, capped so a chatty
// Deployment cannot grow the page without end.
import type { LogLineView } from '../../../../core/contract/log-wire-types.ts';

/** A panel keeps at most this many lines (the oldest go first). */
export const MAX_PANEL_LINES = 2_000;

// `incoming` (in time order) added to `kept`: appended when it is newer, else merged by time
// (pods' streams arrive in separate batches); lines of one time keep their arrival order.
export const addLogLines = (
  kept: readonly LogLineView[],
  incoming: readonly LogLineView[],
  max = MAX_PANEL_LINES,
): LogLineView[] => {
  if (incoming.length === 0) return [...kept];
  const last = kept.at(-1)?.at ?? '';
  const merged =
    (incoming[0]?.at ?? '') >= last
      ? [...kept, ...incoming]
      : [...kept, ...incoming]
          .map((line, i) => ({ line, i }))
          .sort((a, b) => a.line.at.localeCompare(b.line.at) || a.i - b.i)
          .map(({ line }) => line);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
};

/** The time of a line as the panel shows it (local HH:MM:SS.mmm), '' when it has none. */
export const lineTime = (at: string): string => {
  const time = Date.parse(at);
  if (Number.isNaN(time)) return '';
  const d = new Date(time);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};

/** A stable tone (0-5) per pod, so lines of one pod share a colour. */
export const podTone = (pod: string): number => {
  let hash = 0;
  for (const ch of pod) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 6;
};
