// `traffic.*`: the shop's service graph (the blast map), read from the lab's Prometheus. A lab
// without monitoring, or whose monitoring cannot be reached, is an error that says so: the graph
// is blind then, not empty.
import type { ServiceGraph } from '../../contract/graph-types.ts';
import type { KartStreamServices } from '../../contract/services.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { labContext, requireLabRecord } from '../../lab/lab-record.ts';
import { readServiceGraph } from '../../monitoring/read-service-graph.ts';
import { labMonitoring } from './alert-monitoring.ts';
import type { ServiceContext } from './service-context.ts';

/** The lab's service graph; shared with `kartstream traffic graph`. */
export const labServiceGraph = async (lab: string): Promise<ServiceGraph> => {
  const record = await requireLabRecord(lab);
  const found = await labMonitoring(record);
  if ('reason' in found)
    throw new KartStreamError('not-found', `no traffic data: ${found.reason}`, { fix: found.fix });
  return readServiceGraph({
    lab: record.name,
    namespace: record.namespace,
    kubeconfigPath: (await labContext(record)).kubeconfigPath,
    prometheus: found.monitoring.prometheus,
  });
};

export const createTrafficService = (_ctx: ServiceContext): KartStreamServices['traffic'] => ({
  graph: labServiceGraph,
});
