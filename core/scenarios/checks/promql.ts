// promql: the first value of a PromQL query compares to a number.
import { PrometheusApi } from '../../monitoring/prometheus-api.ts';
import type { CompareOp } from '../scenario-types.ts';
import type { CheckHandler } from './check-handler.ts';

const compare = (a: number, op: CompareOp, b: number): boolean =>
  ({ '>': a > b, '>=': a >= b, '<': a < b, '<=': a <= b, '==': a === b, '!=': a !== b })[op];

export const promql: CheckHandler<'promql'> = {
  monitoring: true,
  evaluate: async (ctx, { query, op, value }) => {
    const res = await new PrometheusApi(ctx.monitoring?.prometheus ?? '').query(query);
    const first = res.result[0];
    const v = first ? Number(first.value[1]) : NaN;
    return { ok: !Number.isNaN(v) && compare(v, op, value), detail: first ? `value ${v}` : 'no data' };
  },
};
