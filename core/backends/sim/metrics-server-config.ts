// metrics-server in a sim lab: what kwokctl is told (run the cached binary, apply the APIService
// from infra/sim/metrics-server/ instead of fetching upstream's components.yaml from GitHub) and
// how much CPU and memory each simulated container "uses", which kwok serves on the nodes'
// kubelet port for metrics-server to scrape. Node usage is the sum of its pods' (kwok adds it up).
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** The kustomize dir kwokctl builds with `kubectl kustomize` (no trailing slash). */
export const METRICS_SERVER_MANIFESTS_DIR = fileURLToPath(
  new URL('../../../infra/sim/metrics-server', import.meta.url),
);

/**
 * The usage formula: a share of each container's request. CPU wobbles in [min, max) on every
 * scrape (kwok's Rand()), memory is steady. A container without a request uses the fallback; a
 * pod annotated `kwok.x-k8s.io/usage-cpu` / `-memory` uses exactly that (kwok's own convention,
 * so a drill can push one pod's load up live). Between the two, the CPU the traffic model
 * computes for the pod (MODEL_CPU_ANNOTATION, written by the lab agent): the load it serves.
 */
export const USAGE_SHARE = {
  cpu: { min: 0.3, max: 0.5, fallback: '5m' },
  memory: { min: 0.6, max: 0.6, fallback: '32Mi' },
} as const;

export type UsageResource = keyof typeof USAGE_SHARE;

const ANNOTATION: Record<UsageResource, string> = {
  cpu: 'kwok.x-k8s.io/usage-cpu',
  memory: 'kwok.x-k8s.io/usage-memory',
};

/** The pod annotation holding the traffic model's CPU use of the pod (e.g. `42m`), per container. */
export const MODEL_CPU_ANNOTATION = 'kartstream.dev/model-cpu';
const MODEL_ANNOTATION: Partial<Record<UsageResource, string>> = { cpu: MODEL_CPU_ANNOTATION };

/** The CEL expression kwok evaluates per container for `resource`. */
export const usageExpression = (resource: UsageResource): string => {
  const { min, max, fallback } = USAGE_SHARE[resource];
  const share = max > min ? `(${min} + ${+(max - min).toFixed(6)} * Rand())` : `${min}`;
  const annotations = [ANNOTATION[resource], MODEL_ANNOTATION[resource]].filter((a) => a !== undefined);
  return [
    ...annotations.flatMap((annotation, i) => [
      `${i === 0 ? '' : ': '}"${annotation}" in pod.metadata.annotations`,
      `? Quantity(pod.metadata.annotations["${annotation}"])`,
    ]),
    `: "${resource}" in container.resources.requests`,
    `? container.resources.requests["${resource}"] * ${share}`,
    `: Quantity("${fallback}")`,
  ].join('\n');
};

/** The ClusterResourceUsage (all pods, all containers) that feeds kwok's resource metrics. */
export const renderClusterResourceUsage = () => ({
  apiVersion: 'kwok.x-k8s.io/v1alpha1',
  kind: 'ClusterResourceUsage',
  metadata: { name: 'kartstream-usage' },
  spec: {
    usages: [
      {
        usage: {
          cpu: { expression: usageExpression('cpu') },
          memory: { expression: usageExpression('memory') },
        },
      },
    ],
  },
});

/**
 * The usage range a container with these requests must show (millicores, bytes), for tests and
 * docs: [min share × request, max share × request], or the fallback when there is no request.
 */
export const expectedUsageRange = (
  resource: UsageResource,
  request: number | undefined,
  fallback: number,
): [number, number] => {
  const { min, max } = USAGE_SHARE[resource];
  return request === undefined ? [fallback, fallback] : [request * min, request * max];
};

/** The KwokctlConfiguration options that turn metrics-server on with the given binary. */
export const metricsServerOptions = (binary: string) => ({
  enable: ['metrics-server'],
  metricsServerBinary: binary,
  metricsServerManifests: [METRICS_SERVER_MANIFESTS_DIR],
});

/** The extra config documents for metrics-server: the usage formula. */
export const metricsServerDocuments = (): string[] => [stringify(renderClusterResourceUsage())];
