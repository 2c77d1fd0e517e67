// alert: an alert (with labels) is firing, or resolved (neither firing nor pending).
import { AlertmanagerApi, PrometheusApi } from '../../monitoring/prometheus-api.ts';
import type { CheckHandler } from './check-handler.ts';

export const alert: CheckHandler<'alert'> = {
  monitoring: true,
  evaluate: async (ctx, { name, state, labels = {} }) => {
    const matches = (l: Record<string, string>) =>
      l.alertname === name && Object.entries(labels).every(([k, v]) => l[k] === v);
    const active = (await new AlertmanagerApi(ctx.monitoring?.alertmanager ?? '').alerts()).some((a) =>
      matches(a.labels),
    );
    const pending = (await new PrometheusApi(ctx.monitoring?.prometheus ?? '').alertingRules()).some(
      (r) => r.name === name && (r.alerts ?? []).some((a) => matches({ alertname: name, ...a.labels })),
    );
    return {
      ok: state === 'firing' ? active : !active && !pending,
      detail: active ? 'firing' : pending ? 'pending' : 'not firing',
    };
  },
};
