// One teaching PromQL series drawn with uPlot: the last 15 minutes (or since the lab started, when
// it is younger), refreshed every 15 s, in a box of fixed height (nothing moves while data
// arrives), with its own legend.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TeachingQuery } from '../../../../core/contract/teaching-queries.ts';
import type { WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { colourOf, toChartData, type ChartData } from './chart-series.ts';
import { chartWindow, windowWords } from './chart-window.ts';

const WINDOW_MINUTES = 15;
const REFRESH_MS = 15_000;
const PLOT_HEIGHT = 180;

/** Light or dark, following the OS, so axes are redrawn in a readable colour. */
const useColorScheme = (): 'light' | 'dark' => {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const media = window.matchMedia?.(query);
    if (!media) return;
    const update = () => setDark(media.matches);
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return dark ? 'dark' : 'light';
};

const buildOptions = (
  names: string[],
  width: number,
  scheme: 'light' | 'dark',
  labCreatedAt: string | undefined,
): uPlot.Options => {
  const ink = scheme === 'dark' ? '#c9d1d9' : '#3d4451';
  const grid = scheme === 'dark' ? 'rgba(201,209,217,0.12)' : 'rgba(61,68,81,0.12)';
  const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height: PLOT_HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: {
        time: true,
        range: () => {
          const { from, to } = chartWindow(Date.now(), labCreatedAt, WINDOW_MINUTES);
          return [from, to];
        },
      },
      y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.15))] },
    },
    axes: [axis, { ...axis, size: 40 }],
    series: [
      {},
      ...names.map((name, i) => ({ label: name, stroke: colourOf(i), width: 2, points: { show: false } })),
    ],
  };
};

export const TeachingChart = ({
  lab,
  labCreatedAt,
  query,
  unavailable,
}: {
  lab: string;
  /** When the lab was created (ISO): a younger lab's chart starts there. */
  labCreatedAt?: string;
  query: TeachingQuery;
  /** Why the lab has no metrics, when it has none: the chart is then not queried. */
  unavailable?: string;
}) => {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const [chart, setChart] = useState<ChartData>();
  const [error, setError] = useState<WireError>();
  const [width, setWidth] = useState(0);
  const scheme = useColorScheme();

  // Query now and every REFRESH_MS.
  useEffect(() => {
    setChart(undefined);
    setError(undefined);
    if (unavailable) return;
    let live = true;
    const load = () => {
      const { minutes } = chartWindow(Date.now(), labCreatedAt, WINDOW_MINUTES);
      return api.metrics.range.query({ lab, query: query.query, minutes, stepSeconds: 15 }).then(
        (result) => {
          if (!live) return;
          setChart(toChartData(result, query.seriesLabel));
          setError(undefined);
        },
        (cause: unknown) => live && setError(wireErrorOf(cause)),
      );
    };
    void load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [lab, labCreatedAt, query.query, query.seriesLabel, unavailable]);

  // Follow the box's width.
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  // (Re)build the plot when its series, size or colours change; otherwise only swap the data.
  const names = chart?.names.join('\n') ?? '';
  useEffect(() => {
    const box = boxRef.current;
    if (!box || !chart || width === 0) return;
    const plot = new uPlot(buildOptions(chart.names, width, scheme, labCreatedAt), chart.data, box);
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- chart data swaps in below
  }, [names, width, scheme, labCreatedAt, chart !== undefined]);
  useEffect(() => {
    if (chart) plotRef.current?.setData(chart.data);
  }, [chart]);

  const empty = chart !== undefined && chart.names.length === 0;
  const last = (i: number) => {
    const values = chart?.data[i + 1];
    const value = values?.findLast((v) => v !== null && v !== undefined);
    return value === undefined || value === null ? '—' : String(Math.round(value * 100) / 100);
  };
  return (
    <figure
      className="alr-chart"
      data-testid={`chart-${query.id}`}
      data-series={chart?.names.length ?? 0}
      aria-labelledby={`alr-chart-${query.id}`}
    >
      <figcaption>
        <h3 id={`alr-chart-${query.id}`}>{query.title}</h3>
        <p className="alr-explain">{query.explain}</p>
      </figcaption>
      <div className="alr-plot-area" style={{ height: PLOT_HEIGHT }}>
        <div className="alr-plot" ref={boxRef} aria-hidden="true" />
        {(unavailable || empty || (!chart && !error)) && (
          <p className="alr-plot-note">
            {unavailable ??
              (empty
                ? 'No series yet for this query.'
                : `Loading ${windowWords(chartWindow(Date.now(), labCreatedAt, WINDOW_MINUTES), WINDOW_MINUTES)}…`)}
          </p>
        )}
        {error && (
          <div className="alr-plot-note">
            <ErrorMessage error={error} />
          </div>
        )}
      </div>
      <ul className="alr-legend" aria-label={`Series of ${query.title}`}>
        {chart?.names.map((name, i) => (
          <li key={name}>
            <span className="alr-swatch" style={{ background: colourOf(i) }} aria-hidden="true" />
            <span className="alr-series-name">{name}</span>{' '}
            <span className="alr-series-value">{last(i)}</span>
          </li>
        ))}
      </ul>
      <details className="alr-query">
        <summary>PromQL</summary>
        <code>{query.query}</code>
      </details>
    </figure>
  );
};
