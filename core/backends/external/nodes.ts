// The topology's pools on a cluster KartStream did not create: for each pool, the nodes that carry
// its labels, whether they carry its taint, and how many are Ready against how many the topology
// wants. What is missing is said per pool, with the kubectl command that adds it.
import type { V1Node } from '@kubernetes/client-node';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { isNodeReady } from '../../kube/readiness.ts';
import type { Pool, Topology } from '../../topology/schema.ts';

const showTaint = (t: Pool['taint']) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
const showLabels = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** The nodes that carry every label of a pool. */
export const poolNodes = (nodes: readonly V1Node[], pool: Pool): V1Node[] =>
  nodes.filter((n) => Object.entries(pool.labels).every(([k, v]) => n.metadata?.labels?.[k] === v));

const hasTaint = (node: V1Node, taint: Pool['taint']) =>
  (node.spec?.taints ?? []).some(
    (t) => t.key === taint.key && (t.value ?? '') === (taint.value ?? '') && t.effect === taint.effect,
  );

/** What each pool lacks on this cluster, one line each; empty when every pool is there. */
export const missingPoolParts = (nodes: readonly V1Node[], topology: Topology): string[] =>
  topology.pools.flatMap((pool) => {
    const labelled = poolNodes(nodes, pool);
    const selector = showLabels(pool.labels);
    if (labelled.length === 0)
      return [
        `pool ${pool.name}: no node is labelled ${selector} (want ${pool.nodes} Ready; label them: kubectl label nodes NODE ${selector.replace(/,/g, ' ')})`,
      ];
    const lines: string[] = [];
    const untainted = labelled.filter((n) => !hasTaint(n, pool.taint)).map((n) => n.metadata?.name ?? '');
    if (untainted.length > 0)
      lines.push(
        `pool ${pool.name}: ${untainted.join(', ')} lack${untainted.length === 1 ? 's' : ''} the taint ${showTaint(pool.taint)} (kubectl taint nodes ${untainted.join(' ')} ${showTaint(pool.taint)})`,
      );
    const ready = labelled.filter(isNodeReady).length;
    if (ready < pool.nodes)
      lines.push(
        `pool ${pool.name}: ${ready} Ready node${ready === 1 ? '' : 's'} labelled ${selector}, want ${pool.nodes}`,
      );
    return lines;
  });

/** The pool of a node, by the topology's labels; a clear error for a node of no pool. */
export const requirePoolNode = (
  nodes: readonly V1Node[],
  topology: Topology,
  name: string,
  lab: string,
): Pool => {
  const node = nodes.find((n) => n.metadata?.name === name);
  const poolNames = (n: V1Node) => topology.pools.filter((p) => poolNodes([n], p).length > 0);
  const known = nodes.filter((n) => poolNames(n).length > 0).map((n) => n.metadata?.name ?? '');
  if (!node)
    throw new KartStreamError('not-found', `there is no node "${name}" in lab ${lab}`, {
      fix: `use one of: ${known.join(', ')}`,
    });
  const pool = poolNames(node)[0];
  if (!pool)
    throw new KartStreamError(
      'backend-unavailable',
      `node ${name} of lab ${lab} belongs to none of the topology's pools, so KartStream leaves it alone`,
      {
        fix: `use a node of a pool: ${known.join(', ')}`,
      },
    );
  return pool;
};
