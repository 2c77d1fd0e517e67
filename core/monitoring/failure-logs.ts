// The lines failing calls add to the callers' pod logs, rate-limited: a real service prints one
// line per failed request, which at lab traffic would fill the 1 MiB files in minutes and bury
// everything else, so each pod prints each message at most once per window.
import type { Hop } from '../traffic/traffic-model.ts';
import { failureLine } from './boutique-failure-lines.ts';
import type { LogLine } from './boutique-log-lines.ts';

/** At most one line per message per pod in this many milliseconds. */
export const FAILURE_LOG_WINDOW_MS = 5_000;

export interface FailureLogBook {
  /** Sees one call of the model (the traffic's hop listener). */
  see: (hop: Hop) => void;
  /** The lines gathered since the last call, by pod name, in order. */
  take: () => Map<string, LogLine[]>;
}

export const failureLogBook = (
  now: () => Date = () => new Date(),
  windowMs: number = FAILURE_LOG_WINDOW_MS,
): FailureLogBook => {
  const lastPrinted = new Map<string, number>();
  let pending = new Map<string, LogLine[]>();
  return {
    see: (hop) => {
      if (hop.ok || !hop.fromPod) return;
      const line = failureLine(hop);
      if (!line) return;
      const at = now();
      const key = `${hop.fromPod}\n${line.key}`;
      const last = lastPrinted.get(key);
      if (last !== undefined && at.getTime() - last < windowMs) return;
      lastPrinted.set(key, at.getTime());
      const lines = pending.get(hop.fromPod) ?? [];
      lines.push(...line.render(at));
      pending.set(hop.fromPod, lines);
    },
    take: () => {
      const taken = pending;
      pending = new Map();
      const cutoff = now().getTime() - windowMs;
      for (const [key, at] of lastPrinted) if (at < cutoff) lastPrinted.delete(key);
      return taken;
    },
  };
};
