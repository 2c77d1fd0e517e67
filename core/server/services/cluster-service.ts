// `cluster.*`: the live map of a lab (pools, nodes, pods, workloads) and its recent events.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { KartStreamServices } from '../../contract/services.ts';
import type { ClusterEventView } from '../../contract/wire-types.ts';
import { describeError, KartStreamError } from '../../errors/kartstream-error.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import { ClusterFeeds } from '../cluster-feed.ts';
import { readClusterUsage } from '../cluster-usage.ts';
import { openKnownLab } from './labs-service.ts';
import type { ServiceContext } from './service-context.ts';

const eventTime = (e: CoreV1Event): string => {
  const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return at ? new Date(at).toISOString() : '';
};

const eventView = (e: CoreV1Event): ClusterEventView => ({
  at: eventTime(e),
  type: e.type ?? 'Normal',
  reason: e.reason ?? '',
  object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
  message: e.message ?? '',
  count: e.count ?? e.series?.count ?? 1,
});

export const createClusterService = (ctx: ServiceContext): KartStreamServices['cluster'] => {
  const feeds = new ClusterFeeds(openKnownLab, ctx.stores.lease);
  ctx.onClose(() => feeds.close());
  return {
    watch: (lab, signal) => feeds.watch(lab, signal),

    usage: async (lab) => {
      const { lab: context } = await openKnownLab(lab);
      // Allocatable and requests come from the lab's shared store (the map's): listing 10,000
      // pods for each poll cost the server ~200 MB of peak memory.
      const lease = ctx.stores.lease(context.kubeconfigPath, { events: false });
      try {
        return await readClusterUsage(kubeClients(context.kubeconfigPath), async () => {
          await lease.start();
          return lease.store;
        });
      } finally {
        await lease.release();
      }
    },

    events: async ({ lab, kind, name, limit = 50 }) => {
      const { lab: context } = await openKnownLab(lab);
      const fieldSelector = [
        kind ? `involvedObject.kind=${kind}` : '',
        name ? `involvedObject.name=${name}` : '',
      ]
        .filter(Boolean)
        .join(',');
      let events: CoreV1Event[];
      try {
        const { core } = kubeClients(context.kubeconfigPath);
        events = (await core.listEventForAllNamespaces(fieldSelector ? { fieldSelector } : {})).items;
      } catch (error) {
        throw new KartStreamError('cluster-failed', `cannot read the events of lab ${lab}`, {
          cause: error,
          details: [describeError(error)],
          fix: 'is the lab running? Its map says when its API does not answer; bring it back on the Labs page',
        });
      }
      return events
        .map(eventView)
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit);
    },
  };
};
