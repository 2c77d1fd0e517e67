// The soak benchmark's verdicts (bench/soak-checks.ts): late memory growth from medians, JSON
// Lines validation, and the terminal sequence made by a real bash.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  checkSequence,
  growthAfter,
  jsonLinesProblems,
  sequenceCommand,
} from '../../../bench/soak-checks.ts';

const minutes = (n: number) => n * 60_000;
/** One sample every 10 s for `runMin` minutes, `value(t)` with t in minutes. */
const series = (runMin: number, value: (t: number) => number) =>
  Array.from({ length: runMin * 6 + 1 }, (_, i) => ({ atMs: i * 10_000, value: value(i / 6) }));

describe('growthAfter', () => {
  it('ignores the warm-up: growth in the first quarter does not count', () => {
    // 100 MB to 200 MB in the first 15 minutes, flat after.
    const g = growthAfter(
      series(60, (t) => (t < 15 ? 100 + (t / 15) * 100 : 200)),
      minutes(60),
    );
    expect(g?.growth).toBeCloseTo(0, 5);
    expect(g?.start).toBe(200);
  });

  it('sees a steady leak over the last 75 %', () => {
    const g = growthAfter(
      series(60, (t) => 200 + t),
      minutes(60),
    );
    // Medians of 3-minute windows: about 216.5 MB after 15 min, about 258.5 MB at the end.
    expect(g?.growth).toBeGreaterThan(0.15);
    expect(g?.growth).toBeLessThan(0.25);
  });

  it('is not fooled by one garbage-collection spike at either end', () => {
    const g = growthAfter(
      series(60, (t) => (Math.abs(t - 60) < 0.01 || Math.abs(t - 15) < 0.01 ? 400 : 200)),
      minutes(60),
    );
    expect(g?.growth).toBe(0);
  });

  it('says nothing for too few samples', () => {
    expect(
      growthAfter(
        series(0, () => 1),
        minutes(1),
      ),
    ).toBeUndefined();
  });
});

describe('jsonLinesProblems', () => {
  it('accepts JSON Lines and an empty file', () => {
    expect(jsonLinesProblems('{"a":1}\n[2]\n"x"\n')).toEqual([]);
    expect(jsonLinesProblems('')).toEqual([]);
  });

  it('names a cut-off last line, an empty line and a broken one', () => {
    expect(jsonLinesProblems('{"a":1}\n{"b":')).toEqual([
      'line 2 has no newline at its end (cut off?)',
      expect.stringMatching(/^line 2 is not JSON/),
    ]);
    expect(jsonLinesProblems('{"a":1}\n\n')).toEqual(['line 2 is empty']);
    expect(jsonLinesProblems('{"a":1}{"b":2}\n')).toEqual([expect.stringMatching(/^line 1 is not JSON/)]);
  });
});

describe('the terminal sequence', () => {
  it('is whole when bash runs the command, and the echoed command line does not count', () => {
    const command = sequenceCommand('soak7', 300);
    const out = spawnSync('bash', ['-c', command], { encoding: 'utf8' }).stdout;
    // What a terminal shows: the typed line echoed first, CRLF line ends.
    const terminal = `$ ${command}\r\n${out.replace(/\n/g, '\r\n')}$ `;
    expect(checkSequence(terminal, 'soak7', 300)).toMatchObject({ complete: true, missingCount: 0 });
    expect(checkSequence(`$ ${command}\r\n`, 'soak7', 300)).toMatchObject({
      complete: false,
      missingCount: 300,
      ended: false,
    });
  });

  it('reads lines through the control sequences bash writes around them', () => {
    // Bracketed paste off before the output, a coloured prompt after it.
    const terminal = `$ x\r\n\x1b[?2004l\rt-1\r\nt-2\r\nt-end-2\r\n\x1b]0;title\x07\x1b[?2004h\x1b[01;32m$ \x1b[0m`;
    expect(checkSequence(terminal, 't', 2).complete).toBe(true);
  });

  it('finds lost, repeated and reordered lines', () => {
    const lines = (ns: number[]) => `${ns.map((n) => `t-${n}`).join('\n')}\nt-end-5\n`;
    expect(checkSequence(lines([1, 2, 4, 5]), 't', 5)).toMatchObject({ complete: false, missing: [3] });
    expect(checkSequence(lines([1, 2, 3, 3, 4, 5]), 't', 5)).toMatchObject({
      complete: false,
      disordered: 1,
    });
    expect(checkSequence(lines([1, 3, 2, 4, 5]), 't', 5)).toMatchObject({ complete: false, disordered: 1 });
    expect(checkSequence(lines([1, 2, 3, 4, 5]), 't', 5).complete).toBe(true);
  });
});
