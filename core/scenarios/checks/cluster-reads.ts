// What the cluster checks share: the live pods of the shop, each node's pool, label selectors.
import type { V1Pod } from '@kubernetes/client-node';
import type { ScenarioContext } from '../scenario-context.ts';

/** The shop's pods that are not being deleted. */
export const livePods = ({ store, namespace }: ScenarioContext): V1Pod[] =>
  store.pods(namespace).filter((p) => !p.metadata?.deletionTimestamp);

/** Node name -> pool label. */
export const poolOfNodes = ({ store }: ScenarioContext): Map<string | undefined, string | undefined> =>
  new Map(store.nodes().map((n) => [n.metadata?.name, n.metadata?.labels?.pool]));

/** `key` or `key=value` terms joined by ","; no selector matches everything. */
export const matchesSelector = (labels: Record<string, string> | undefined, selector?: string): boolean =>
  !selector ||
  selector.split(',').every((term) => {
    const [key, value] = term.split('=').map((x) => x.trim());
    return value === undefined ? labels?.[key ?? ''] !== undefined : labels?.[key ?? ''] === value;
  });
