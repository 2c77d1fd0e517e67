// kind's node names and which pool each belongs to. kind names node containers by role in config
// order (providers/common/namer.go: <cluster>-control-plane, <cluster>-worker, <cluster>-worker2,
// ...), and the Kubernetes node name is the container name, so a pool's nodes are known from the
// rendered config before the cluster exists.
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { renderKindConfig, type KindConfig } from '../../topology/render-kind.ts';
import { POOL_KEY, type Topology } from '../../topology/schema.ts';
import { KIND_NODE_IMAGE } from './pins.ts';

export interface KindNodeName {
  name: string;
  role: 'control-plane' | 'worker';
  pool?: string;
}

/** The kind config of a lab: the topology rendered with the pinned node image. */
export const labKindConfig = (topology: Topology, name: string, apiServerPort?: number): KindConfig =>
  renderKindConfig(topology, { name, nodeImage: KIND_NODE_IMAGE, apiServerPort });

/** Node names as kind's MakeNodeNamer gives them, in config order. */
export const kindNodeNames = (config: KindConfig): KindNodeName[] => {
  const counter = new Map<string, number>();
  return config.nodes.map((node) => {
    const count = (counter.get(node.role) ?? 0) + 1;
    counter.set(node.role, count);
    const pool = node.labels?.[POOL_KEY];
    return {
      name: `${config.name}-${node.role}${count > 1 ? count : ''}`,
      role: node.role,
      ...(pool ? { pool } : {}),
    };
  });
};

/** The node names of one pool, in config order; a clear error for an unknown pool. */
export const poolNodeNames = (topology: Topology, cluster: string, pool: string): string[] => {
  if (!topology.pools.some((p) => p.name === pool))
    throw new KartStreamError('invalid-input', `there is no pool "${pool}"`, {
      fix: `use one of: ${topology.pools.map((p) => p.name).join(', ')}`,
    });
  return kindNodeNames(labKindConfig(topology, cluster))
    .filter((n) => n.pool === pool)
    .map((n) => n.name);
};

export interface ScalePlan {
  /** Nodes to cordon, drain and pause (last first). */
  pause: string[];
  /** Nodes to unpause and uncordon. */
  unpause: string[];
}

/**
 * Which nodes to pause or unpause so that the first `target` nodes of a pool run. kind cannot add
 * nodes to a running cluster, so a pool never grows past the size it was created with.
 */
export const planPoolScale = (
  pool: string,
  nodes: readonly string[],
  paused: ReadonlySet<string>,
  target: number,
): ScalePlan => {
  if (!Number.isInteger(target) || target < 0)
    throw new KartStreamError(
      'invalid-input',
      `pool ${pool}: got ${target} nodes, expected a whole number ≥ 0`,
    );
  if (target > nodes.length)
    throw new KartStreamError(
      'backend-unavailable',
      `the kind backend cannot grow pool ${pool} to ${target} nodes: it was created with ${nodes.length}, and kind cannot add nodes to a running cluster`,
      {
        fix: `scale it to at most ${nodes.length}; for a bigger pool set pools[${pool}].nodes in the topology and recreate the lab (npx kartstream down, then up), or use --backend sim`,
      },
    );
  return {
    pause: nodes
      .slice(target)
      .filter((n) => !paused.has(n))
      .reverse(),
    unpause: nodes.slice(0, target).filter((n) => paused.has(n)),
  };
};
