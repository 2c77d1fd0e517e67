// The traffic model's CPU per pod, handed to KWOK: each shop pod carries its figure in an
// annotation that the lab's usage formula reads (metrics-server-config.ts), so metrics-server,
// `kubectl top` and an HPA see the load the model plays. A pod is patched only when its figure
// moved noticeably, so a steady shop costs the API server nothing.
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { MODEL_CPU_ANNOTATION } from '../backends/sim/metrics-server-config.ts';
import { FAULT_LABEL } from '../backends/sim/pod-faults.ts';
import { apiStatus } from '../kube/kube-client.ts';
import { mergePatch } from '../kube/patch-options.ts';
import { cpuMillis } from '../kube/quantity.ts';

/** A pod is rewritten when its CPU moved by at least this share and this many millicores. */
export const USAGE_CHANGE = { share: 0.15, millicores: 3 } as const;

export interface UsageUpdate {
  pod: string;
  /** The annotation's new value, e.g. `42m`. */
  value: string;
}

const carriedMillicores = (pod: V1Pod): number | undefined => {
  const value = pod.metadata?.annotations?.[MODEL_CPU_ANNOTATION];
  return value === undefined ? undefined : cpuMillis(value);
};

/** The pods whose annotation must change for the model's figures `cpuMillicores` (by pod name). */
export const usageUpdates = (
  pods: readonly V1Pod[],
  cpuMillicores: Record<string, number>,
): UsageUpdate[] => {
  const updates: UsageUpdate[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    const wanted = cpuMillicores[name];
    // A pod with a fault is left alone: KWOK starts a fault's delayed stage afresh on every update
    // of the pod, so a patch every few seconds would keep a crash loop from ever starting.
    if (wanted === undefined || pod.metadata?.deletionTimestamp || pod.metadata?.labels?.[FAULT_LABEL])
      continue;
    const carried = carriedMillicores(pod);
    const moved =
      carried === undefined ||
      Math.abs(wanted - carried) >= Math.max(USAGE_CHANGE.millicores, USAGE_CHANGE.share * carried);
    if (moved) updates.push({ pod: name, value: `${Math.max(1, Math.round(wanted))}m` });
  }
  return updates;
};

/**
 * Writes the updates (one merge patch per pod, in parallel). A pod deleted meanwhile is skipped;
 * other failures go to `onError` and the pod is tried again on the next step.
 */
export const writeUsage = async (
  core: CoreV1Api,
  namespace: string,
  updates: readonly UsageUpdate[],
  onError: (error: unknown) => void,
): Promise<void> => {
  await Promise.all(
    updates.map((u) =>
      core
        .patchNamespacedPod(
          {
            name: u.pod,
            namespace,
            body: { metadata: { annotations: { [MODEL_CPU_ANNOTATION]: u.value } } },
          },
          mergePatch,
        )
        .catch((error: unknown) => {
          if (apiStatus(error) !== 404) onError(error);
        }),
    ),
  );
};
