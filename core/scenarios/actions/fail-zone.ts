// failZone: every node of a zone, across pools, stops reporting Ready (a zone outage). It is the
// backend's failNode for each of them, so `healNode: {}` in a rollback brings them all back.
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { nodesInZone, zonesOfNodes } from '../../topology/zones.ts';
import type { ActionHandler } from './action-handler.ts';

export const failZone: ActionHandler<'failZone'> = {
  cannotRun: (_args, capabilities, backend) =>
    capabilities.failNode
      ? undefined
      : `a zone fails node by node, and ${capabilities.unsupported.failNode ?? `${backend} cannot fail nodes`}`,
  run: async (ctx, { zone }) => {
    const nodes = ctx.store.nodes();
    const targets = nodesInZone(nodes, zone);
    if (targets.length === 0)
      throw new KartStreamError('not-found', `failZone: no node of lab ${ctx.lab.name} is in zone ${zone}`, {
        fix: `use one of its zones: ${zonesOfNodes(nodes).join(', ') || 'none (its nodes have no topology.kubernetes.io/zone label)'}`,
      });
    for (const node of targets) await ctx.backend.failNode(ctx.lab, node);
    return `failed zone ${zone}: ${targets.join(', ')}`;
  },
};
