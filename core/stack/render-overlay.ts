// Renders a manifests overlay with kustomize (kubectl's built-in) and checks that every workload
// is placed on a pool the topology has, tolerating exactly that pool's taint.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { KubernetesObject, V1PodSpec } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { runCommand } from '../exec/run-command.ts';
import type { Topology } from '../topology/schema.ts';
import type { ShopOverlay } from '../backends/cluster-backend.ts';

/** The targets the manifests have an overlay for: sim's, kind's, and EKS's (promote; attached clusters). */
export type OverlayTarget = ShopOverlay;

export const MANIFESTS_DIR = fileURLToPath(new URL('../../manifests/', import.meta.url));
export const overlayDir = (target: OverlayTarget): string => join(MANIFESTS_DIR, 'overlays', target);

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

// `kubectl kustomize <dir>`, parsed into objects.
export const renderKustomization = async (kubectl: string, dir: string): Promise<KubernetesObject[]> => {
  const text = await runCommand(kubectl, ['kustomize', dir]);
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null);
};

// One line per workload whose placement does not match the topology.
export const placementProblems = (objects: readonly KubernetesObject[], topology: Topology): string[] =>
  objects.flatMap((object) => {
    if (!WORKLOAD_KINDS.has(object.kind ?? '')) return [];
    const spec = (object as { spec?: { template?: { spec?: V1PodSpec } } }).spec?.template?.spec;
    const name = `${object.kind}/${object.metadata?.name}`;
    // DaemonSets run everywhere by design (node-exporter): they tolerate every taint instead.
    if (object.kind === 'DaemonSet') return [];
    const poolName = spec?.nodeSelector?.pool;
    const pool = topology.pools.find((p) => p.name === poolName);
    if (!pool) return [`${name}: nodeSelector pool=${poolName ?? '(none)'} names no pool of the topology`];
    const tolerates = (spec?.tolerations ?? []).some(
      (t) =>
        t.key === pool.taint.key &&
        t.value === pool.taint.value &&
        t.effect === pool.taint.effect &&
        (t.operator ?? 'Equal') === 'Equal',
    );
    return tolerates
      ? []
      : [
          `${name}: no toleration for the taint ${pool.taint.key}=${pool.taint.value}:${pool.taint.effect} of pool ${pool.name}`,
        ];
  });

// Renders the overlay of a backend and refuses it when placement drifted from the topology.
export const renderStack = async (
  kubectl: string,
  target: OverlayTarget,
  topology: Topology,
): Promise<KubernetesObject[]> => {
  const objects = await renderKustomization(kubectl, overlayDir(target));
  const problems = placementProblems(objects, topology);
  if (problems.length > 0) {
    throw new KartStreamError(
      'invalid-manifests',
      `the ${target} overlay places workloads off the topology's pools`,
      {
        details: problems,
        fix: 'keep manifests/components/placement in step with infra/topology.yaml',
      },
    );
  }
  return objects;
};

/** Every container image the objects name (containers and init containers), sorted, once each. */
export const imagesOf = (objects: readonly KubernetesObject[]): string[] => {
  const images = new Set<string>();
  for (const object of objects) {
    const spec = (
      object as {
        spec?: {
          template?: { spec?: V1PodSpec };
          jobTemplate?: { spec?: { template?: { spec?: V1PodSpec } } };
        };
      }
    ).spec;
    const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])])
      if (c.image) images.add(c.image);
  }
  return [...images].sort();
};
