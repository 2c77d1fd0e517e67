// The traffic model's calls as Istio's standard service metrics, so the PromQL a learner writes in
// a sim lab (rates, error ratios, p95 from the histogram) works unchanged on a mesh-instrumented
// cluster. Reported from the destination's side (`reporter="destination"`), as Istio's own
// dashboards read them. Redis speaks plain TCP, which Istio counts in its TCP metrics, not here.
import { Counter, Histogram, type Registry } from 'prom-client';
import { SERVICE_PORTS } from './shop-calls.ts';
import { LATENCY_BUCKETS_MS, type Hop } from './traffic-model.ts';

const LABELS = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'destination_workload',
  'destination_workload_namespace',
  'destination_service_name',
  'response_code',
  'grpc_response_status',
  'request_protocol',
] as const;

/** Registers the two families on `registry` and returns the listener that feeds them. */
export const istioMetrics = (registry: Registry, namespace: string) => {
  const requests = new Counter({
    name: 'istio_requests_total',
    help: 'Requests served, by source, destination and response (simulated by KartStream).',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'istio_request_duration_milliseconds',
    help: 'Request duration in milliseconds (simulated by KartStream).',
    labelNames: LABELS,
    buckets: [...LATENCY_BUCKETS_MS],
    registers: [registry],
  });
  return (hop: Hop): void => {
    const protocol = SERVICE_PORTS[hop.to].protocol;
    if (protocol === 'tcp') return;
    const labels = {
      reporter: 'destination',
      source_workload: hop.from,
      source_workload_namespace: namespace,
      destination_workload: hop.to,
      destination_workload_namespace: namespace,
      destination_service_name: hop.to,
      response_code: String(hop.responseCode),
      grpc_response_status: hop.grpcStatus === undefined ? '' : String(hop.grpcStatus),
      request_protocol: protocol,
    };
    requests.inc(labels);
    duration.observe(labels, hop.latencyMs);
  };
};
