// Small Kubernetes API helpers the sim backend's actions share.
import { apiStatus } from '../../kube/kube-client.ts';

/** Swallows a 404 (already gone), rethrows anything else. */
export const ignoreNotFound = (error: unknown): void => {
  if (apiStatus(error) !== 404) throw error;
};

export { mergePatch } from '../../kube/patch-options.ts';
