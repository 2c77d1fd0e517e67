// `traffic.*`: the shop's service graph (the blast map), read from the lab's Prometheus.
import type { KartStreamServices } from '../../contract/services.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { readServiceGraph } from '../../traffic/read-service-graph.ts';
import type { ServiceContext } from './service-context.ts';

export const createTrafficService = (_ctx: ServiceContext): KartStreamServices['traffic'] => ({
  graph: async (lab) => readServiceGraph(await requireLabRecord(lab)),
});
