// Whether Kubernetes NetworkPolicies allow a connection from one pod to another, by the standard
// semantics (kubernetes.io/docs/concepts/services-networking/network-policies): a pod is isolated
// for ingress (egress) when some policy in its namespace selects it and has that policy type; an
// isolated pod accepts (sends) only what some such policy's rules allow, the union of them all.
// A connection needs both: the source's egress and the destination's ingress. Pure, so the
// traffic model and its tests can ask it anything without a cluster.
import type {
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
} from '@kubernetes/client-node';

/** A pod as the evaluator needs it. */
export interface PolicyPod {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** The pod's IP, for ipBlock peers; a pod without one matches no ipBlock. */
  ip?: string;
  /** Named container ports, for policies that name a port. */
  namedPorts?: Readonly<Record<string, number>>;
}

/** What the evaluator knows of the cluster: its policies and each namespace's labels. */
export interface PolicyWorld {
  policies: readonly V1NetworkPolicy[];
  /** Labels by namespace name; `kubernetes.io/metadata.name` is added when missing, as the API server does. */
  namespaceLabels: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface Connection {
  from: PolicyPod;
  to: PolicyPod;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export type Verdict =
  { allowed: true } | { allowed: false; direction: 'egress' | 'ingress'; policies: string[]; reason: string };

/** Whether `labels` match a label selector; an empty selector matches everything. */
export const selectorMatches = (
  selector: V1LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean => {
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const values = e.values ?? [];
    const ok =
      e.operator === 'In'
        ? has && values.includes(value as string)
        : e.operator === 'NotIn'
          ? !has || !values.includes(value as string)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false; // an unknown operator matches nothing (the API server rejects it)
    if (!ok) return false;
  }
  return true;
};

const ipToNumber = (ip: string): number | undefined => {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const octet = Number(p);
    if (!/^\d{1,3}$/.test(p) || octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
};

/** Whether an IPv4 address lies in a CIDR block (IPv6 blocks match no address here). */
export const inCidr = (ip: string, cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  const address = ipToNumber(ip);
  const network = ipToNumber(base ?? '');
  const prefix = Number(bits ?? '32');
  if (address === undefined || network === undefined || !(prefix >= 0 && prefix <= 32)) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) === Math.floor(network / size);
};

const namespaceLabels = (world: PolicyWorld, namespace: string): Record<string, string> => ({
  'kubernetes.io/metadata.name': namespace,
  ...world.namespaceLabels[namespace],
});

// A peer of a rule in `policy`'s namespace; `other` is the pod at the far end.
const peerMatches = (
  peer: V1NetworkPolicyPeer,
  policyNamespace: string,
  other: PolicyPod,
  world: PolicyWorld,
): boolean => {
  if (peer.ipBlock) {
    if (!other.ip || !inCidr(other.ip, peer.ipBlock.cidr)) return false;
    return !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip as string, cidr));
  }
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(world, other.namespace))
    : other.namespace === policyNamespace;
  return namespaceOk && (!peer.podSelector || selectorMatches(peer.podSelector, other.labels));
};

// A rule's port against the destination's port; a named port is the destination's container port.
const portMatches = (rulePort: V1NetworkPolicyPort, connection: Connection): boolean => {
  if ((rulePort.protocol ?? 'TCP') !== (connection.protocol ?? 'TCP')) return false;
  if (rulePort.port === undefined) return true;
  const port =
    typeof rulePort.port === 'number'
      ? rulePort.port
      : /^\d+$/.test(rulePort.port)
        ? Number(rulePort.port)
        : connection.to.namedPorts?.[rulePort.port];
  if (port === undefined) return false;
  if (rulePort.endPort !== undefined && typeof rulePort.port === 'number')
    return connection.port >= port && connection.port <= rulePort.endPort;
  return connection.port === port;
};

const types = (policy: V1NetworkPolicy): string[] =>
  policy.spec?.policyTypes ?? ['Ingress', ...(policy.spec?.egress?.length ? ['Egress'] : [])];

const policyName = (policy: V1NetworkPolicy) =>
  `${policy.metadata?.namespace ?? ''}/${policy.metadata?.name ?? ''}`;

// The policies that isolate `pod` in one direction.
const isolating = (world: PolicyWorld, pod: PolicyPod, type: 'Ingress' | 'Egress') =>
  world.policies.filter(
    (p) =>
      p.metadata?.namespace === pod.namespace &&
      types(p).includes(type) &&
      selectorMatches(p.spec?.podSelector, pod.labels),
  );

const allowsEgress = (policy: V1NetworkPolicy, c: Connection, world: PolicyWorld): boolean =>
  (policy.spec?.egress ?? []).some(
    (rule) =>
      (!rule.to?.length || rule.to.some((peer) => peerMatches(peer, c.from.namespace, c.to, world))) &&
      (!rule.ports?.length || rule.ports.some((p) => portMatches(p, c))),
  );

// client-node names the field `_from` (objects from the API); YAML read as is says `from`.
const fromPeers = (rule: V1NetworkPolicyIngressRule): V1NetworkPolicyPeer[] | undefined =>
  rule._from ?? (rule as { from?: V1NetworkPolicyPeer[] }).from;

const allowsIngress = (policy: V1NetworkPolicy, c: Connection, world: PolicyWorld): boolean =>
  (policy.spec?.ingress ?? []).some(
    (rule) =>
      (!fromPeers(rule)?.length ||
        fromPeers(rule)?.some((peer) => peerMatches(peer, c.to.namespace, c.from, world))) &&
      (!rule.ports?.length || rule.ports.some((p) => portMatches(p, c))),
  );

/** Whether the policies let `connection` through, and if not which side refuses it and why. */
export const evaluateConnection = (world: PolicyWorld, connection: Connection): Verdict => {
  const egress = isolating(world, connection.from, 'Egress');
  if (egress.length > 0 && !egress.some((p) => allowsEgress(p, connection, world)))
    return {
      allowed: false,
      direction: 'egress',
      policies: egress.map(policyName),
      reason: `egress from ${connection.from.namespace} is limited by ${egress.map(policyName).join(', ')} and none allows port ${connection.port} to the destination`,
    };
  const ingress = isolating(world, connection.to, 'Ingress');
  if (ingress.length > 0 && !ingress.some((p) => allowsIngress(p, connection, world)))
    return {
      allowed: false,
      direction: 'ingress',
      policies: ingress.map(policyName),
      reason: `ingress to ${connection.to.namespace} is limited by ${ingress.map(policyName).join(', ')} and none allows port ${connection.port} from the source`,
    };
  return { allowed: true };
};
