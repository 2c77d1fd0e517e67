// alertRule: Prometheus has loaded an alerting rule (whose `for` is at most a duration).
import { PrometheusApi } from '../../monitoring/prometheus-api.ts';
import { durationMs } from '../scenario-types.ts';
import type { CheckHandler } from './check-handler.ts';

export const alertRule: CheckHandler<'alertRule'> = {
  monitoring: true,
  evaluate: async (ctx, { name, forAtMost }) => {
    const rule = (await new PrometheusApi(ctx.monitoring?.prometheus ?? '').alertingRules()).find(
      (r) => r.name === name,
    );
    const forSeconds = (rule as { duration?: number } | undefined)?.duration ?? 0;
    const limit = forAtMost ? durationMs(forAtMost) / 1000 : Infinity;
    return {
      ok: rule !== undefined && forSeconds <= limit,
      detail: rule ? `loaded, for ${forSeconds}s` : 'no such rule loaded',
    };
  },
};
