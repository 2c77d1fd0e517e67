// The alerts view's shaping: "since" in words and PromQL range results aligned for uPlot.
import { describe, expect, it } from 'vitest';
import { colourOf, SERIES_COLOURS, toChartData } from '../../../renderer/src/views/alerts/chart-series.ts';
import { timeAgo } from '../../../renderer/src/views/alerts/relative-time.ts';

describe('timeAgo', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('says how long ago, in the largest sensible unit', () => {
    expect([2, 42, 60, 185, 3600, 3900, 90_000].map((s) => timeAgo(ago(s), now))).toEqual([
      'just now',
      '42 s ago',
      '1 min ago',
      '3 min ago',
      '1 h ago',
      '1 h 5 min ago',
      '1 d ago',
    ]);
  });

  it('does not go negative for a clock slightly ahead, and marks a bad time', () => {
    expect(timeAgo(ago(-3), now)).toBe('just now');
    expect(timeAgo('soon', now)).toBe('—');
  });
});

describe('toChartData', () => {
  it('aligns series on one sorted time axis, names them by the label and orders them by name', () => {
    const chart = toChartData(
      {
        query: 'q',
        series: [
          {
            name: 'pool=frontend',
            labels: { pool: 'frontend' },
            points: [
              [20, 2],
              [10, 1],
            ],
          },
          {
            name: 'pool=backend',
            labels: { pool: 'backend' },
            points: [
              [30, 0],
              [10, 2],
            ],
          },
          { name: 'fallback', labels: {}, points: [[20, Number.NaN]] },
        ],
      },
      'pool',
    );
    expect(chart.names).toEqual(['backend', 'fallback', 'frontend']);
    expect(chart.data).toEqual([
      [10, 20, 30],
      [2, null, 0],
      [null, null, null],
      [1, 2, null],
    ]);
  });

  it('gives an empty result an empty chart', () => {
    expect(toChartData({ query: 'q', series: [] }, 'pool')).toEqual({ names: [], data: [[]] });
  });

  it('cycles the palette for more series than colours', () => {
    expect(colourOf(SERIES_COLOURS.length)).toBe(colourOf(0));
    expect(new Set(SERIES_COLOURS).size).toBe(SERIES_COLOURS.length);
  });
});
