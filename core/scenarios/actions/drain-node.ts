// drainNode: a node is cordoned and its pods evicted, as `kubectl drain` does (eviction API, so
// PodDisruptionBudgets are obeyed). `selector` drains the node that runs a shop pod matching it.
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { drainNode as drain } from '../../kube/drain-node.ts';
import { livePods, matchesSelector } from '../checks/cluster-reads.ts';
import type { ActionHandler } from './action-handler.ts';

export const drainNode: ActionHandler<'drainNode'> = {
  run: async (ctx, { node, selector }) => {
    const target =
      node ?? livePods(ctx).find((p) => matchesSelector(p.metadata?.labels, selector) && p.spec?.nodeName)?.spec?.nodeName;
    if (!target)
      throw new KartStreamError('not-found', `no pod matching ${selector} runs on a node, so there is no node to drain`, {
        fix: `check the pods with: kubectl get pods -l ${selector} -o wide`,
      });
    await drain(ctx.clients, target, ctx.task.log);
    return `drained ${target}`;
  },
};
