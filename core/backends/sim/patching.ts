// Small Kubernetes API helpers the sim backend's actions share.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { apiStatus } from '../../kube/kube-client.ts';

/** Swallows a 404 (already gone), rethrows anything else. */
export const ignoreNotFound = (error: unknown): void => {
  if (apiStatus(error) !== 404) throw error;
};

/** client-node 1.x sends JSON patches by default; a merge patch says what we mean. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
