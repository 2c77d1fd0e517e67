// monitoringAnswers: Prometheus (or Alertmanager) answers its readiness endpoint through the
// engine's port-forward, or does not. How a scenario sees monitoring go blind and come back: with
// no Ready pod (its node failed, it is Pending) the forward has nowhere to go; in sim the host
// process is also stopped while its pod does not run (core/monitoring/pod-fate.ts).
import type { CheckHandler } from './check-handler.ts';

/** Longer than a healthy answer takes; a stopped process accepts the connection and says nothing. */
const ANSWER_TIMEOUT_MS = 5_000;

const NAMES = { prometheus: 'Prometheus', alertmanager: 'Alertmanager' } as const;

export const monitoringAnswers: CheckHandler<'monitoringAnswers'> = {
  monitoring: true,
  evaluate: async (ctx, { part, answers }) => {
    const base = ctx.monitoring?.[part];
    let answered: boolean;
    let detail: string;
    if (!base) {
      answered = false;
      detail = `${NAMES[part]} is not reachable from this lab`;
    } else {
      try {
        const res = await fetch(`${base}/-/ready`, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
        await res.arrayBuffer();
        answered = res.ok;
        detail = `${NAMES[part]} answered HTTP ${res.status}`;
      } catch (error) {
        answered = false;
        detail =
          (error as Error).name === 'TimeoutError'
            ? `${NAMES[part]} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`
            : `${NAMES[part]} does not answer (${(error as Error).message})`;
      }
    }
    return { ok: answered === answers, detail };
  },
};
