// A dashboard's timeseries panel drawn with uPlot (as the Alerts view's charts): the dashboard's
// time range, one line per series in the alerts' palette, the legend below with the last value.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RangeSeries } from '../../../../core/contract/wire-types.ts';
import { colourOf, toChartData } from '../alerts/chart-series.ts';

const inkOf = () =>
  window.matchMedia?.('(prefers-color-scheme: dark)').matches
    ? { ink: '#c9d1d9', grid: 'rgba(201,209,217,0.12)' }
    : { ink: '#3d4451', grid: 'rgba(61,68,81,0.12)' };

export const TimeseriesPlot = ({
  series,
  minutes,
  height,
  label,
}: {
  series: RangeSeries[];
  minutes: number;
  height: number;
  label: string;
}) => {
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const chart = useMemo(() => toChartData({ query: '', series }, ''), [series]);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const box = boxRef.current;
    if (!box || width === 0 || chart.names.length === 0) return;
    const { ink, grid } = inkOf();
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true, range: () => [Date.now() / 1000 - minutes * 60, Date.now() / 1000] },
          y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 0) * 1.15)] },
        },
        axes: [axis, { ...axis, size: 44 }],
        series: [
          {},
          ...chart.names.map((name, i) => ({
            label: name,
            stroke: colourOf(i),
            width: 2,
            points: { show: false },
          })),
        ],
      },
      chart.data,
      box,
    );
    return () => plot.destroy();
  }, [chart, width, height, minutes]);

  const last = (i: number) => {
    const value = chart.data[i + 1]?.findLast((v) => v !== null && v !== undefined);
    return value === undefined || value === null ? '—' : String(Math.round(value * 1000) / 1000);
  };
  return (
    <>
      <div className="dsh-plot" ref={boxRef} style={{ height }} aria-hidden="true" />
      <ul className="dsh-legend" aria-label={`Series of ${label}`}>
        {chart.names.map((name, i) => (
          <li key={name}>
            <span className="dsh-swatch" style={{ background: colourOf(i) }} aria-hidden="true" />
            {name} <span className="dsh-last">{last(i)}</span>
          </li>
        ))}
      </ul>
    </>
  );
};
