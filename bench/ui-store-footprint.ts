// Where the server's memory goes at scale: the same informers the server's WatchStore runs
// (nodes, pods, deployments: slimmed objects, listed in pages; core/kube/slim-informer.ts), and
// for comparison events of every namespace (which the map's store does not watch), started one
// at a time in this process, with the heap they hold after a full garbage collection and how far
// the process's peak RSS rose while each listed its objects.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KubernetesObject, ObjectCache } from '@kubernetes/client-node';
import type { KubeClients } from '../core/kube/kube-client.ts';
import { makeSlimInformer, type ListPage } from '../core/kube/slim-informer.ts';
import type { SlimKind } from '../core/kube/slim-objects.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

export interface Footprint {
  kind: string;
  objects: number;
  heapMb: number;
  /** How much the process's peak RSS rose while the informer started. */
  peakRiseMb: number;
}

/** Heap held by an informer of each kind the server watches, with its object count. */
export const informerFootprint = async ({ config, core, apps }: KubeClients): Promise<Footprint[]> => {
  const kinds: { kind: string; slim: SlimKind; path: string; list: ListPage<KubernetesObject> }[] = [
    { kind: 'nodes', slim: 'Node', path: '/api/v1/nodes', list: (page) => core.listNode(page) },
    {
      kind: 'pods',
      slim: 'Pod',
      path: '/api/v1/pods',
      list: (page) => core.listPodForAllNamespaces(page),
    },
    {
      kind: 'deployments',
      slim: 'Deployment',
      path: '/apis/apps/v1/deployments',
      list: (page) => apps.listDeploymentForAllNamespaces(page),
    },
    {
      kind: "events (not in the map's store)",
      slim: 'Event',
      path: '/api/v1/events',
      list: (page) => core.listEventForAllNamespaces(page),
    },
  ];
  const result: Footprint[] = [];
  const running: { stop: () => Promise<void> }[] = [];
  try {
    for (const { kind, slim, path, list } of kinds) {
      const before = heapMb();
      const peakBefore = peakRssMb();
      const informer = makeSlimInformer(config, slim, path, list);
      running.push(informer);
      await informer.start();
      const objects = (informer as unknown as ObjectCache<KubernetesObject>).list().length;
      result.push({ kind, objects, heapMb: heapMb() - before, peakRiseMb: peakRssMb() - peakBefore });
    }
  } finally {
    await Promise.all(running.map((i) => i.stop().catch(() => undefined)));
  }
  return result;
};
