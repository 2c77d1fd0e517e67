// The time span a teaching chart shows: the last WINDOW minutes, or, for a lab younger than
// that, from the lab's start, so a minute-old lab's data fills the chart instead of a sliver.

/** The shortest span drawn (a lab seconds old still gets a readable axis). */
export const MIN_SPAN_SECONDS = 60;

export interface ChartWindow {
  /** Start and end of the x axis, unix seconds. */
  from: number;
  to: number;
  /** Whole minutes to ask Prometheus for (1 to the window), covering from..to. */
  minutes: number;
  /** True when the axis starts at the lab's start rather than a full window back. */
  sinceLabStart: boolean;
}

// The window at `nowMs` for a lab created at `labCreatedAt` (ISO; unknown or unreadable: a full window).
export const chartWindow = (
  nowMs: number,
  labCreatedAt: string | undefined,
  windowMinutes: number,
): ChartWindow => {
  const to = nowMs / 1000;
  const full = to - windowMinutes * 60;
  const created = labCreatedAt === undefined ? NaN : Date.parse(labCreatedAt) / 1000;
  const sinceLabStart = Number.isFinite(created) && created > full;
  const from = sinceLabStart ? Math.min(created, to - MIN_SPAN_SECONDS) : full;
  const minutes = Math.min(windowMinutes, Math.max(1, Math.ceil((to - from) / 60)));
  return { from, to, minutes, sinceLabStart };
};

// What the chart shows, for its loading note: "the last 15 minutes" or "since the lab started".
export const windowWords = (window: ChartWindow, windowMinutes: number): string =>
  window.sinceLabStart ? 'since the lab started' : `the last ${windowMinutes} minutes`;
