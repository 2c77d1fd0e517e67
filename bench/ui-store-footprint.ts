// Where the server's memory goes at scale: the same informers the server's WatchStore runs
// (nodes, pods, deployments, events of every namespace), started one at a time in this process,
// with the heap they hold after a full garbage collection and how far the process's peak RSS rose
// while each listed its objects (the list response is parsed whole before it is kept).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { makeInformer, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import type { KubeClients } from '../core/kube/kube-client.ts';

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
  const kinds = [
    { kind: 'nodes', path: '/api/v1/nodes', list: () => core.listNode() },
    { kind: 'pods', path: '/api/v1/pods', list: () => core.listPodForAllNamespaces() },
    {
      kind: 'deployments',
      path: '/apis/apps/v1/deployments',
      list: () => apps.listDeploymentForAllNamespaces(),
    },
    { kind: 'events', path: '/api/v1/events', list: () => core.listEventForAllNamespaces() },
  ] as const;
  const result: Footprint[] = [];
  const running: { stop: () => Promise<void> }[] = [];
  try {
    for (const { kind, path, list } of kinds) {
      const before = heapMb();
      const peakBefore = peakRssMb();
      const informer = makeInformer<KubernetesObject>(config, path, list);
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
