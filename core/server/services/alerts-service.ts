// The lab's alerts for the UI, the same list `kartstream alerts` prints: firing from Alertmanager,
// pending from Prometheus' rules, resolved from the lab's alert history. Alertmanager and
// Prometheus cannot push, so the live list re-reads them on a short tick and sends only changes.
import type { KartStreamServices } from '../../contract/services.ts';
import type { AlertsMessage } from '../../contract/wire-types.ts';
import { describeError } from '../../errors/kartstream-error.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { labAlerts } from '../../monitoring/lab-alerts.ts';
import type { MonitoringEndpoints } from '../../monitoring/monitoring-access.ts';
import { labMonitoring } from './alert-monitoring.ts';
import { sleep } from '../../tasks/wait.ts';
import type { ServiceContext } from './service-context.ts';

/** How often the live list re-reads Alertmanager and Prometheus. */
const TICK_MS = 2_000;

const unavailable = (reason: string): AlertsMessage => ({ available: false, reason, alerts: [] });

const alertsOf = async (monitoring: MonitoringEndpoints): Promise<AlertsMessage> => ({
  available: true,
  alerts: (await labAlerts(monitoring)).map((a) => ({ ...a })),
});

export const createAlertsService = (_ctx: ServiceContext): KartStreamServices['alerts'] => {
  const list = async (lab: string): Promise<AlertsMessage> => {
    const found = await labMonitoring(await requireLabRecord(lab));
    return 'reason' in found ? unavailable(`${found.reason}; ${found.fix}`) : alertsOf(found.monitoring);
  };

  return {
    list,
    watch: async function* (lab, signal) {
      await requireLabRecord(lab);
      let last: string | undefined;
      while (!signal.aborted) {
        // A monitoring process that stops answering is shown as such; the list comes back with it.
        const message = await list(lab).catch((error: unknown) => unavailable(describeError(error)));
        const text = JSON.stringify(message);
        if (text !== last) {
          last = text;
          yield message;
        }
        // An abort ends the loop; any other failure is a real one.
        await sleep(TICK_MS, signal).catch((error: unknown) => {
          if (!signal.aborted) throw error;
        });
      }
    },
  };
};
