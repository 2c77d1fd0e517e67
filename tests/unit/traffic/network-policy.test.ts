// The NetworkPolicy evaluator against a table of cases: the examples of the Kubernetes
// NetworkPolicy documentation (the role=db policy, the default policies, the and/or peers, endPort,
// the namespace name label), named ports, protocols, selector operators and the shop's own case.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  evaluateConnection,
  inCidr,
  selectorMatches,
  type PolicyPod,
  type PolicyWorld,
} from '../../../core/traffic/network-policy.ts';

const policy = (yaml: string): V1NetworkPolicy => parse(yaml) as V1NetworkPolicy;
const pod = (
  namespace: string,
  labels: Record<string, string>,
  extra: Partial<PolicyPod> = {},
): PolicyPod => ({
  namespace,
  labels,
  ...extra,
});
const world = (
  policies: V1NetworkPolicy[],
  namespaceLabels: PolicyWorld['namespaceLabels'] = {},
): PolicyWorld => ({
  policies,
  namespaceLabels,
});

// The documentation's first example: db pods accept 6379 from three kinds of peer, send only to 10.0.0.0/24:5978.
const dbPolicy = policy(`
metadata: {name: test-network-policy, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
    - namespaceSelector: {matchLabels: {project: myproject}}
    - podSelector: {matchLabels: {role: frontend}}
    ports: [{protocol: TCP, port: 6379}]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/24}}]
    ports: [{protocol: TCP, port: 5978}]
`);
const db = pod('default', { role: 'db' }, { ip: '10.1.0.9' });
const docWorld = world([dbPolicy], { myproject: { project: 'myproject' }, other: {} });

const denyIngress = policy(`
metadata: {name: default-deny-ingress, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`);
const allowAllIngress = policy(`
metadata: {name: allow-all-ingress, namespace: shop}
spec: {podSelector: {}, ingress: [{}], policyTypes: [Ingress]}
`);
const denyEgress = policy(`
metadata: {name: default-deny-egress, namespace: shop}
spec: {podSelector: {}, policyTypes: [Egress]}
`);
const allowAllEgress = policy(`
metadata: {name: allow-all-egress, namespace: shop}
spec: {podSelector: {}, egress: [{}], policyTypes: [Egress]}
`);
const denyAll = policy(`
metadata: {name: default-deny-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`);
const a = pod('shop', { app: 'a' });
const b = pod('shop', { app: 'b' });

// One peer with both selectors (AND) and two peers (OR), as the documentation contrasts them.
const andPeer = policy(`
metadata: {name: and, namespace: shop}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {user: alice}}, podSelector: {matchLabels: {role: client}}}]}]
`);
const orPeers = policy(`
metadata: {name: or, namespace: shop}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {user: alice}}}, {podSelector: {matchLabels: {role: client}}}]}]
`);
const aliceNs = { alice: { user: 'alice' }, bob: {} };

const endPort = policy(`
metadata: {name: multi-port-egress, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/24}}], ports: [{protocol: TCP, port: 32000, endPort: 32768}]}]
`);

// The shop's network-policy scenario: redis-cart accepts only from cartservice, by name of port.
const redisOnlyFromCart = policy(`
metadata: {name: redis-cart, namespace: shop}
spec:
  podSelector: {matchLabels: {app: redis-cart}}
  ingress: [{from: [{podSelector: {matchLabels: {app: cartservice}}}], ports: [{port: redis}]}]
`);
const redis = pod('shop', { app: 'redis-cart' }, { namedPorts: { redis: 6379 } });
const cart = pod('shop', { app: 'cartservice' });
const frontend = pod('shop', { app: 'frontend' });

const cases: [string, PolicyWorld, PolicyPod, PolicyPod, number, boolean, string?][] = [
  [
    'doc: a role=frontend pod reaches db:6379',
    docWorld,
    pod('default', { role: 'frontend' }),
    db,
    6379,
    true,
  ],
  ['doc: not on another port', docWorld, pod('default', { role: 'frontend' }), db, 5432, false, 'ingress'],
  ['doc: any pod of a myproject namespace', docWorld, pod('myproject', { x: 'y' }), db, 6379, true],
  [
    'doc: a role=frontend pod of another namespace is not',
    docWorld,
    pod('other', { role: 'frontend' }),
    db,
    6379,
    false,
    'ingress',
  ],
  ['doc: an address in 172.17.0.0/16', docWorld, pod('other', {}, { ip: '172.17.0.5' }), db, 6379, true],
  ['doc: except 172.17.1.0/24', docWorld, pod('other', {}, { ip: '172.17.1.5' }), db, 6379, false, 'ingress'],
  ['doc: db sends to 10.0.0.0/24:5978', docWorld, db, pod('other', {}, { ip: '10.0.0.7' }), 5978, true],
  [
    'doc: db sends nowhere else',
    docWorld,
    db,
    pod('default', { role: 'frontend' }, { ip: '10.1.0.3' }),
    80,
    false,
    'egress',
  ],
  ['no policy: everything is allowed', world([]), a, b, 80, true],
  ['default deny ingress', world([denyIngress]), a, b, 80, false, 'ingress'],
  ['default deny ingress leaves egress open', world([denyIngress]), a, pod('elsewhere', {}), 80, true],
  ['allow-all ingress wins over default deny (union)', world([denyIngress, allowAllIngress]), a, b, 80, true],
  ['default deny egress', world([denyEgress]), a, pod('elsewhere', {}), 80, false, 'egress'],
  [
    'allow-all egress wins over default deny',
    world([denyEgress, allowAllEgress]),
    a,
    pod('elsewhere', {}),
    80,
    true,
  ],
  ['default deny all stops traffic inside the namespace', world([denyAll]), a, b, 80, false, 'egress'],
  [
    'AND peer: alice namespace and role=client',
    world([andPeer], aliceNs),
    pod('alice', { role: 'client' }),
    b,
    80,
    true,
  ],
  [
    'AND peer: alice namespace alone is not enough',
    world([andPeer], aliceNs),
    pod('alice', {}),
    b,
    80,
    false,
    'ingress',
  ],
  [
    'AND peer: role=client elsewhere is not enough',
    world([andPeer], aliceNs),
    pod('bob', { role: 'client' }),
    b,
    80,
    false,
    'ingress',
  ],
  ['OR peers: alice namespace alone is enough', world([orPeers], aliceNs), pod('alice', {}), b, 80, true],
  [
    'OR peers: role=client in the policy namespace',
    world([orPeers], aliceNs),
    pod('shop', { role: 'client' }),
    b,
    80,
    true,
  ],
  [
    'OR peers: role=client in another namespace is not',
    world([orPeers], aliceNs),
    pod('bob', { role: 'client' }),
    b,
    80,
    false,
    'ingress',
  ],
  ['endPort: inside the range', world([endPort]), db, pod('x', {}, { ip: '10.0.0.1' }), 32500, true],
  [
    'endPort: above the range',
    world([endPort]),
    db,
    pod('x', {}, { ip: '10.0.0.1' }),
    33000,
    false,
    'egress',
  ],
  ['shop: cartservice reaches redis on the named port', world([redisOnlyFromCart]), cart, redis, 6379, true],
  [
    'shop: frontend does not reach redis',
    world([redisOnlyFromCart]),
    frontend,
    redis,
    6379,
    false,
    'ingress',
  ],
  ['shop: cartservice not on another port', world([redisOnlyFromCart]), cart, redis, 6380, false, 'ingress'],
  [
    'a policy of another namespace does not apply',
    world([denyAll]),
    pod('other', {}),
    pod('other', {}),
    80,
    true,
  ],
];

describe('evaluateConnection', () => {
  it.each(cases)('%s', (_name, w, from, to, port, allowed, direction) => {
    const verdict = evaluateConnection(w, { from, to, port });
    expect(verdict.allowed).toBe(allowed);
    if (!verdict.allowed) {
      expect(verdict.direction).toBe(direction);
      expect(verdict.reason).toMatch(new RegExp(`port ${port}`));
      expect(verdict.policies.length).toBeGreaterThan(0);
    }
  });

  it('selects a namespace by its name label, which every namespace has', () => {
    const byName = policy(`
metadata: {name: from-monitoring, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}]
`);
    expect(
      evaluateConnection(world([byName]), { from: pod('monitoring', {}), to: b, port: 9090 }).allowed,
    ).toBe(true);
    expect(evaluateConnection(world([byName]), { from: pod('default', {}), to: b, port: 9090 }).allowed).toBe(
      false,
    );
  });

  it('matches the protocol, TCP when none is given', () => {
    const udp = policy(`
metadata: {name: dns, namespace: shop}
spec: {podSelector: {}, ingress: [{ports: [{protocol: UDP, port: 53}]}]}
`);
    expect(evaluateConnection(world([udp]), { from: a, to: b, port: 53, protocol: 'UDP' }).allowed).toBe(
      true,
    );
    expect(evaluateConnection(world([udp]), { from: a, to: b, port: 53 }).allowed).toBe(false);
  });

  it('names the policies that refuse, from objects read through the API (`_from`)', () => {
    const apiShaped: V1NetworkPolicy = {
      metadata: { name: 'only-cart', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'redis-cart' } },
        ingress: [{ _from: [{ podSelector: { matchLabels: { app: 'cartservice' } } }] }],
      },
    };
    expect(evaluateConnection(world([apiShaped]), { from: cart, to: redis, port: 6379 }).allowed).toBe(true);
    const refused = evaluateConnection(world([apiShaped, denyEgress]), { from: cart, to: redis, port: 6379 });
    expect(refused).toMatchObject({
      allowed: false,
      direction: 'egress',
      policies: ['shop/default-deny-egress'],
    });
  });
});

describe('selectors and CIDRs', () => {
  it('applies each matchExpressions operator', () => {
    const labels = { tier: 'web', env: 'prod' };
    const sel = (operator: string, key: string, values?: string[]) =>
      selectorMatches({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }, labels);
    expect([sel('In', 'tier', ['web', 'api']), sel('In', 'tier', ['api'])]).toEqual([true, false]);
    expect([
      sel('NotIn', 'tier', ['api']),
      sel('NotIn', 'tier', ['web']),
      sel('NotIn', 'zone', ['a']),
    ]).toEqual([true, false, true]);
    expect([sel('Exists', 'env'), sel('Exists', 'zone')]).toEqual([true, false]);
    expect([sel('DoesNotExist', 'zone'), sel('DoesNotExist', 'env')]).toEqual([true, false]);
    expect(selectorMatches({}, labels)).toBe(true);
  });

  it('tests IPv4 addresses against blocks', () => {
    expect(inCidr('10.0.0.255', '10.0.0.0/24')).toBe(true);
    expect(inCidr('10.0.1.0', '10.0.0.0/24')).toBe(false);
    expect(inCidr('192.168.3.4', '0.0.0.0/0')).toBe(true);
    expect(inCidr('10.0.0.1', '10.0.0.1/32')).toBe(true);
    expect(inCidr('not-an-ip', '10.0.0.0/8')).toBe(false);
  });
});
