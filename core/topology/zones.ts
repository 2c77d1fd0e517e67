// The lab's zones: which zone each node of a pool is in, what its labels say, and which nodes of a
// live cluster are in a zone. A zone is a letter of the topology (`a`); on every target its name
// is the region's zone of that letter (eu-west-1a), as EKS names it, so spread constraints and
// `kubectl get nodes -L topology.kubernetes.io/zone` read the same on sim, kind and EKS.
import type { V1Node } from '@kubernetes/client-node';
import type { Pool, Topology } from './schema.ts';

/** The well-known node labels the scheduler spreads pods with. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';

/** The zones a pool's nodes spread over: its own list, else every zone of the topology. */
export const poolZones = (topology: Topology, pool: Pool): readonly string[] => pool.zones ?? topology.zones;

/** The zone of a pool's node, round-robin by its 1-based index, so any first N nodes are spread. */
export const zoneOfPoolNode = (topology: Topology, pool: Pool, index: number): string => {
  const zones = poolZones(topology, pool);
  return zones[(index - 1) % zones.length] ?? topology.zones[0] ?? 'a';
};

/** A zone's name in a region: `eu-west-1` and `a` -> `eu-west-1a`. */
export const zoneName = (region: string, zone: string): string => `${region}${zone}`;

/** The zone and region labels of a pool's node. */
export const zoneLabels = (topology: Topology, pool: Pool, index: number): Record<string, string> => ({
  [REGION_LABEL]: topology.eks.region,
  [ZONE_LABEL]: zoneName(topology.eks.region, zoneOfPoolNode(topology, pool, index)),
});

/** The zone letter of a live node (its zone label less its region label), if it has one. */
export const nodeZone = (node: V1Node): string | undefined => {
  const labels = node.metadata?.labels ?? {};
  const zone = labels[ZONE_LABEL];
  const region = labels[REGION_LABEL] ?? '';
  if (!zone) return undefined;
  return region && zone.startsWith(region) ? zone.slice(region.length) : zone;
};

/** The names of the nodes in a zone (a letter, or a full zone name), sorted. */
export const nodesInZone = (nodes: readonly V1Node[], zone: string): string[] =>
  nodes
    .filter((n) => nodeZone(n) === zone || n.metadata?.labels?.[ZONE_LABEL] === zone)
    .map((n) => n.metadata?.name ?? '')
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

/** The zone letters that live nodes are in, sorted. */
export const zonesOfNodes = (nodes: readonly V1Node[]): string[] =>
  [...new Set(nodes.flatMap((n) => nodeZone(n) ?? []))].sort();
