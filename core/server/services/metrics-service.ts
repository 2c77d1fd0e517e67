// PromQL range queries for the charts, against the lab's own Prometheus. Each series is named
// from its labels; a query Prometheus refuses comes back as invalid input in Prometheus' words.
import type { RangeQueryInput } from '../../contract/inputs.ts';
import type { KartStreamServices } from '../../contract/services.ts';
import type { RangeSeries } from '../../contract/wire-types.ts';
import { isKartStreamError, KartStreamError } from '../../errors/kartstream-error.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { PrometheusApi } from '../../monitoring/prometheus-api.ts';
import { labMonitoring } from './alert-monitoring.ts';
import type { ServiceContext } from './service-context.ts';

/** Prometheus answers at most 11,000 points per series; a longer window gets a coarser step. */
const MAX_POINTS = 11_000;

// `cartservice` for one label, `pool=backend, zone=a` for several, the metric name for none.
export const seriesName = (labels: Record<string, string>): string => {
  const entries = Object.entries(labels).filter(([k]) => k !== '__name__');
  if (entries.length === 0) return labels.__name__ ?? '{}';
  if (entries.length === 1) return entries[0]![1];
  return entries.map(([k, v]) => `${k}=${v}`).join(', ');
};

export const createMetricsService = (_ctx: ServiceContext): KartStreamServices['metrics'] => ({
  range: async ({ lab, query, minutes, stepSeconds }: RangeQueryInput) => {
    const found = await labMonitoring(await requireLabRecord(lab));
    if ('reason' in found) throw new KartStreamError('not-found', found.reason, { fix: found.fix });
    const end = new Date();
    const start = new Date(end.getTime() - minutes * 60_000);
    const step = Math.max(stepSeconds, Math.ceil((minutes * 60) / MAX_POINTS));
    let data: Awaited<ReturnType<PrometheusApi['queryRange']>>;
    try {
      data = await new PrometheusApi(found.monitoring.prometheus).queryRange(query, start, end, step);
    } catch (error) {
      if (isKartStreamError(error) && error.code === 'invalid-input')
        throw new KartStreamError('invalid-input', error.message, {
          cause: error,
          details: [`query: ${query}`],
          fix: 'correct the PromQL: Prometheus names the line:column of the problem',
        });
      throw error;
    }
    const series: RangeSeries[] = data.result.map((s) => ({
      name: seriesName(s.metric),
      labels: s.metric,
      // NaN and ±Inf cannot travel as JSON numbers: they are left out (a gap in the chart).
      points: s.values
        .map(([t, v]): [number, number] => [t, Number(v)])
        .filter(([, v]) => Number.isFinite(v)),
    }));
    return { query, series: series.sort((a, b) => a.name.localeCompare(b.name)) };
  },
});
