// "Open Grafana" for labs whose monitoring runs in the cluster (kind, EKS): the server
// port-forwards the lab's Grafana Service (one forward per lab, kept while the app runs) and
// answers its loopback URL. Sim labs have no Grafana: the Dashboards view draws the same
// dashboards from the lab's Prometheus.
import type { KartStreamServices } from '../../contract/services.ts';
import { backendByName } from '../../backends/choose-backend.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { labContext, requireLabRecord } from '../../lab/lab-record.ts';
import type { ServiceContext } from './service-context.ts';

export const createGrafanaService = (ctx: ServiceContext): KartStreamServices['grafana'] => ({
  open: async (lab) => {
    const record = await requireLabRecord(lab);
    if (backendByName(record.backend).monitoring.runs !== 'in-cluster')
      throw new KartStreamError('not-found', `lab ${lab} (${record.backend}) runs no Grafana`, {
        details: ['Grafana runs inside kind and EKS clusters; a sim cluster runs no containers'],
        fix: "open the Dashboards view: it draws the same dashboards from the lab's Prometheus",
      });
    if (!record.monitoring)
      throw new KartStreamError('not-found', `lab ${lab} runs without monitoring, so without Grafana`, {
        fix: `create the lab with monitoring (without --no-monitoring)`,
      });
    const forward = await ctx.grafana.forward(lab, (await labContext(record)).kubeconfigPath);
    return { url: forward.url };
  },
});
