// Shapes a PromQL range result for uPlot: one shared, sorted time axis and one value array per
// series (null where a series has no sample), series ordered by name so colours stay put.
import type { RangeResult } from '../../../../core/contract/wire-types.ts';

export interface ChartData {
  names: string[];
  /** [times (unix s), ...values per series]. */
  data: [number[], ...(number | null)[][]];
}

/** The series name: the teaching label's value when present, else the server's readable name. */
export const seriesName = (series: RangeResult['series'][number], label: string): string =>
  series.labels[label] ?? (series.name || '(no label)');

export const toChartData = (result: RangeResult, label: string): ChartData => {
  const series = [...result.series]
    .map((s) => ({ name: seriesName(s, label), points: s.points }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const values = series.map((s) => {
    const row: (number | null)[] = times.map(() => null);
    for (const [t, v] of s.points) row[index.get(t) ?? 0] = Number.isFinite(v) ? v : null;
    return row;
  });
  return { names: series.map((s) => s.name), data: [times, ...values] };
};

/** A fixed palette, distinct in light and dark themes. */
export const SERIES_COLOURS = [
  '#3b82f6',
  '#f97316',
  '#10b981',
  '#e11d48',
  '#8b5cf6',
  '#eab308',
  '#06b6d4',
  '#db2777',
  '#84cc16',
  '#64748b',
  '#a16207',
];

export const colourOf = (i: number): string => SERIES_COLOURS[i % SERIES_COLOURS.length] ?? '#888';
