// Whether a call between two pods gets through the NetworkPolicies, remembered for one step.
// Without ipBlock peers a verdict depends only on the pods' namespaces, labels and named ports,
// so pods alike (the replicas of a workload) share it: a few evaluations per step instead of one
// per pair of pods.
import { evaluateConnection, type PolicyPod, type PolicyWorld } from './network-policy.ts';

export type PolicyPodNamed = PolicyPod & { name: string };

export const policyVerdicts = (world: PolicyWorld) => {
  const verdicts = new Map<string, boolean>();
  const byLikeness = !world.policies.some((p) =>
    [
      ...(p.spec?.ingress ?? []).flatMap((r) => r._from ?? []),
      ...(p.spec?.egress ?? []).flatMap((r) => r.to ?? []),
    ].some((peer) => peer.ipBlock),
  );
  const likeness = new Map<PolicyPodNamed, string>();
  const identity = (pod: PolicyPodNamed): string => {
    if (!byLikeness) return `${pod.namespace}/${pod.name}`;
    let key = likeness.get(pod);
    if (key === undefined) {
      key = JSON.stringify([pod.namespace, pod.labels, pod.namedPorts ?? {}]);
      likeness.set(pod, key);
    }
    return key;
  };
  return (from: PolicyPodNamed, to: PolicyPodNamed, port: number): boolean => {
    if (world.policies.length === 0) return true;
    const key = `${identity(from)}>${identity(to)}:${port}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = evaluateConnection(world, { from, to, port, protocol: 'TCP' }).allowed;
      verdicts.set(key, verdict);
    }
    return verdict;
  };
};
