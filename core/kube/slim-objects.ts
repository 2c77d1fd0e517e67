// What the watch store keeps of each object: everything a reader uses, without the bulk no reader
// looks at. At 10,000 pods the full objects are most of the server's memory; a pod's managedFields
// alone is about as big as the rest of it. Readers (checked when this list was made): the map
// (core/server/cluster-views.ts, cluster-diff.ts, explain-pending), status (lab-snapshot), the
// scenario checks and actions, kube-state-metrics series, pod logs and pod fate, and the traffic
// model (container resources and env, annotations, podIP). A field dropped here must not be read
// from a store object anywhere; tests/unit/kube/slim-objects.test.ts shows the views are unchanged.
import type { KubernetesObject, V1Container, V1Node, V1Pod } from '@kubernetes/client-node';

export type SlimKind = 'Node' | 'Pod' | 'Deployment' | 'Event';

/** kubectl's copy of the whole applied object, in an annotation; nothing reads it back. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Fields are set to undefined rather than deleted: the objects keep their shape (V8 turns an
// object whose property is deleted into a slower and larger dictionary), and `?.` reads the same.
// Only fields that are there are set: adding an undefined one would change the object's shape too.
const drop = <O extends object>(object: O, keys: readonly (keyof O)[]): void => {
  for (const key of keys) if (object[key] !== undefined) object[key] = undefined as O[keyof O];
};

const slimContainer = (c: V1Container): void =>
  drop(c, ['volumeMounts', 'terminationMessagePath', 'terminationMessagePolicy']);

/**
 * Drops, in place, what no reader of the store uses: every object's managedFields and kubectl's
 * last-applied annotation; a pod's volumes and its containers' volume mounts and termination
 * message settings (the service account token volume is most of a pod's spec); a node's image list
 * and volume lists. Returns the object.
 */
export const slimObject = <T extends KubernetesObject>(kind: SlimKind, object: T): T => {
  const metadata = object.metadata;
  if (metadata) {
    drop(metadata, ['managedFields']);
    if (metadata.annotations?.[LAST_APPLIED] !== undefined) delete metadata.annotations[LAST_APPLIED];
  }
  if (kind === 'Pod') {
    const spec = (object as V1Pod).spec;
    if (spec) {
      drop(spec, ['volumes']);
      for (const c of spec.containers ?? []) slimContainer(c);
      for (const c of spec.initContainers ?? []) slimContainer(c);
    }
  } else if (kind === 'Node') {
    const status = (object as V1Node).status;
    if (status) drop(status, ['images', 'volumesInUse', 'volumesAttached']);
  }
  return object;
};
