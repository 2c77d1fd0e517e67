// Server-side apply of a set of objects, field manager `kartstream`: idempotent, and it takes
// ownership of exactly the fields KartStream sets, so a learner's own changes stay visible.
import type { KubernetesObject } from '@kubernetes/client-node';
import { PatchStrategy } from '@kubernetes/client-node';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { KubeClients } from './kube-client.ts';

export const FIELD_MANAGER = 'kartstream';

// Namespaces and identities first, so the objects that use them find them.
const ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'ConfigMap',
  'Secret',
  'Service',
];
const rank = (kind?: string) => {
  const i = ORDER.indexOf(kind ?? '');
  return i === -1 ? ORDER.length : i;
};

const describeObject = (o: KubernetesObject) =>
  `${o.kind}/${o.metadata?.name}${o.metadata?.namespace ? ` in namespace ${o.metadata.namespace}` : ''}`;

export interface ApplyOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  onApplied?: (object: KubernetesObject, index: number, total: number) => void;
}

/** Objects of one rank are applied this many at a time. */
const PARALLEL = 8;

// Applies every object, rank by rank (namespaces before what lives in them), each rank in
// parallel; a rejected object fails the whole call naming that object.
export const serverSideApply = async (
  clients: KubeClients,
  objects: KubernetesObject[],
  options: ApplyOptions = {},
): Promise<KubernetesObject[]> => {
  const ranks = [...new Set(objects.map((o) => rank(o.kind)))].sort((a, b) => a - b);
  const applied: KubernetesObject[] = [];
  const applyOne = async (object: KubernetesObject) => {
    if (options.signal?.aborted) throw new KartStreamError('canceled', 'apply canceled');
    try {
      const result = await clients.objects.patch(
        object,
        undefined,
        options.dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      applied.push(result);
      options.onApplied?.(object, applied.length - 1, objects.length);
    } catch (cause) {
      if (cause instanceof KartStreamError) throw cause;
      const body = (cause as { body?: unknown }).body;
      const reason = typeof body === 'string' ? (safeMessage(body) ?? body) : (cause as Error).message;
      throw new KartStreamError('cluster-failed', `failed to apply ${describeObject(object)}: ${reason}`, {
        cause,
      });
    }
  };
  for (const r of ranks) {
    const queue = objects.filter((o) => rank(o.kind) === r);
    const workers = Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await applyOne(next);
    });
    await Promise.all(workers);
  }
  return applied;
};

const safeMessage = (body: string): string | undefined => {
  try {
    return (JSON.parse(body) as { message?: string }).message;
  } catch {
    return undefined;
  }
};
