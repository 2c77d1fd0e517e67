export { loadTopology, parseTopology, DEFAULT_TOPOLOGY_FILE } from './load-topology.ts';
export { renderKindConfig, type KindConfig } from './render-kind.ts';
export { renderSimNodes, renderSimNode, simNodeName } from './render-sim-nodes.ts';
export { topologySchema, REQUIRED_POOLS, POOL_KEY, type Topology, type Pool } from './schema.ts';
export {
  ZONE_LABEL,
  REGION_LABEL,
  nodeZone,
  nodesInZone,
  zonesOfNodes,
  poolZones,
  zoneName,
} from './zones.ts';
