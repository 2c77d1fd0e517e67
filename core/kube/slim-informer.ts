// An informer (client-node's ListWatch) whose cache holds slimmed objects (slim-objects.ts), and
// whose list is read in pages. client-node has no hook to transform objects before they enter
// the cache, but ListWatch takes the list function and the Watch it uses: the list function here
// slims each page, and a Watch subclass slims each watch event before ListWatch sees it.
// Pages: one 10,000-pod list response is parsed (and turned into model objects) whole, which
// raised the server's peak RSS by ~200 MB, and V8 keeps a grown heap; pages of PAGE_SIZE keep
// that peak small. The API server serves the pages from one consistent snapshot.
import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { slimObject, type SlimKind } from './slim-objects.ts';

export const PAGE_SIZE = 500;

/** One page of a list: what the generated list calls take and return. */
export type ListPage<T extends KubernetesObject> = (page: {
  limit: number;
  _continue?: string;
}) => Promise<KubernetesListObject<T>>;

/** Every page of a list, each object slimmed, as one list with the snapshot's resourceVersion. */
export const listAllPages = async <T extends KubernetesObject>(
  kind: SlimKind,
  listPage: ListPage<T>,
  pageSize = PAGE_SIZE,
): Promise<KubernetesListObject<T>> => {
  const items: T[] = [];
  let next: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await listPage({ limit: pageSize, ...(next ? { _continue: next } : {}) });
    for (const item of page.items) items.push(slimObject(kind, item));
    resourceVersion = page.metadata?.resourceVersion;
    next = page.metadata?._continue || undefined;
  } while (next);
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items };
};

/** A Watch whose added, modified and deleted objects are slimmed before the informer gets them. */
class SlimWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly kind: SlimKind,
  ) {
    super(config);
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    return super.watch(
      path,
      queryParams,
      (phase, object: KubernetesObject, raw) => {
        // ERROR carries a Status and BOOKMARK only a resourceVersion: passed on as they are.
        if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') slimObject(this.kind, object);
        callback(phase, object, raw);
      },
      done,
    );
  }
}

/** Like client-node's makeInformer (not started), with slimmed objects and a paged list. */
export const makeSlimInformer = <T extends KubernetesObject>(
  config: KubeConfig,
  kind: SlimKind,
  path: string,
  listPage: ListPage<T>,
): ListWatch<T> =>
  new ListWatch<T>(path, new SlimWatch(config, kind), () => listAllPages(kind, listPage), false);
