// The soak benchmark's verdicts, as pure functions of what it recorded (unit-tested in
// tests/unit/bench/soak-checks.test.ts): memory growth late in the run, JSON Lines files that
// parse line by line, and terminal output that arrived whole.

export interface Sample {
  /** Milliseconds since the soak began. */
  atMs: number;
  value: number;
}

export interface Growth {
  /** Median of the samples just after `from` of the run. */
  start: number;
  /** Median of the run's last samples. */
  end: number;
  /** end / start - 1. */
  growth: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * Growth of a measure over the run after `from` (0.25: the last 75 %). One sample of RSS swings
 * with each garbage collection, so both ends are medians of a window (`window` of the run, and at
 * least `minSamples` samples): the samples from `from` on, and the last ones. Undefined when the
 * run has too few samples to tell.
 */
export const growthAfter = (
  samples: readonly Sample[],
  runMs: number,
  from = 0.25,
  window = 0.05,
  minSamples = 3,
): Growth | undefined => {
  const sorted = [...samples].sort((a, b) => a.atMs - b.atMs);
  const late = sorted.filter((s) => s.atMs >= from * runMs);
  if (late.length < 2 * minSamples) return undefined;
  const span = window * runMs;
  const firstAt = late[0]!.atMs;
  const lastAt = late.at(-1)!.atMs;
  const head = late.filter((s, i) => i < minSamples || s.atMs <= firstAt + span);
  const tail = late.filter((s, i) => i >= late.length - minSamples || s.atMs >= lastAt - span);
  const start = median(head.map((s) => s.value));
  const end = median(tail.map((s) => s.value));
  return { start, end, growth: start > 0 ? end / start - 1 : 0 };
};

/**
 * What is wrong with a JSON Lines text: each line one JSON value, every line ended by a newline
 * (a last line without one was cut off mid-write), no empty lines. Empty list: valid.
 */
export const jsonLinesProblems = (text: string): string[] => {
  if (text === '') return [];
  const problems: string[] = [];
  const lines = text.split('\n');
  const last = lines.pop();
  if (last !== '') problems.push(`line ${lines.length + 1} has no newline at its end (cut off?)`);
  const all = last === '' ? lines : [...lines, last ?? ''];
  all.forEach((line, i) => {
    if (line.trim() === '') {
      problems.push(`line ${i + 1} is empty`);
      return;
    }
    try {
      JSON.parse(line);
    } catch (error) {
      problems.push(`line ${i + 1} is not JSON (${(error as Error).message}): ${line.slice(0, 80)}`);
    }
  });
  return problems;
};

/**
 * The command that makes a terminal print a known sequence: `count` lines `<tag>-1` ... and an
 * end line `<tag>-end-<count>`. The shell echoes what is typed, so the typed text must not
 * contain the lines it prints: the numbers come from `seq`, the end line's count from $(( )).
 */
export const sequenceCommand = (tag: string, count: number): string =>
  `seq -f '${tag}-%g' 1 ${count}; echo ${tag}-end-$((${count}))`;

export interface SequenceCheck {
  complete: boolean;
  /** Numbers 1..count not seen (the first few). */
  missing: number[];
  missingCount: number;
  /** Numbers seen more than once or out of order. */
  disordered: number;
  ended: boolean;
}

/** Whether the output of `sequenceCommand(tag, count)` arrived whole, once each, in order. */
export const checkSequence = (output: string, tag: string, count: number): SequenceCheck => {
  // Terminal control sequences are not output lines: bash turns bracketed paste off
  // (ESC [?2004l) at the start of the line the command's first output is on.
  /* eslint-disable no-control-regex -- escape sequences are what these strip */
  const clean = output
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r/g, '');
  /* eslint-enable no-control-regex */
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const seen: number[] = [];
  for (const m of clean.matchAll(new RegExp(`^${escaped}-(\\d+)$`, 'gm'))) seen.push(Number(m[1]));
  const present = new Set(seen);
  const missing: number[] = [];
  for (let n = 1; n <= count; n += 1) if (!present.has(n)) missing.push(n);
  let disordered = 0;
  seen.forEach((n, i) => {
    if (i > 0 && n <= (seen[i - 1] ?? 0)) disordered += 1;
  });
  const ended = new RegExp(`^${escaped}-end-${count}$`, 'm').test(clean);
  return {
    complete: missing.length === 0 && disordered === 0 && seen.length === count && ended,
    missing: missing.slice(0, 10),
    missingCount: missing.length,
    disordered,
    ended,
  };
};
