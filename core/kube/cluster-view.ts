// The readers a cluster view offers: the watch store has them, and so can a test's fixture.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';

/** Reads a cluster view: the watch store, or anything with the same readers. */
export interface ClusterView {
  nodes(): readonly V1Node[];
  pods(namespace?: string): readonly V1Pod[];
  deployments(namespace?: string): readonly V1Deployment[];
}
