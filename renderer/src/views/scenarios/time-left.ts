// The time left in a step's time box, as the player shows it (m:ss, h:mm:ss past an hour).

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds left until `deadline` (ISO time) at `now` (ms), never below 0; undefined without a deadline. */
export const secondsLeft = (deadline: string | undefined, now: number): number | undefined => {
  if (!deadline) return undefined;
  const end = Date.parse(deadline);
  if (Number.isNaN(end)) return undefined;
  return Math.max(0, Math.ceil((end - now) / 1000));
};

/** `4:05`, `1:02:03`, or `0:00` when the time is up. */
export const formatTimeLeft = (seconds: number): string => {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
};

/** A step's time box in words for the catalog and step list, e.g. `5 min` or `90 s`. */
export const formatDuration = (seconds: number): string =>
  seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : seconds >= 60 ? `${formatTimeLeft(seconds)} min` : `${seconds} s`;
