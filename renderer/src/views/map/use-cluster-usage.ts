// CPU and memory per node and pod for the map, from `cluster.usage` (the Metrics API through
// the server), asked again every USAGE_POLL_MS: metrics-server itself refreshes every 15 s.
import { useEffect, useState } from 'react';
import type { ClusterUsage, NodeUsageView, PodUsageView } from '../../../../core/contract/usage-types.ts';
import type { WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';

export const USAGE_POLL_MS = 10_000;

export interface UsageState {
  /** undefined until the first answer. */
  usage: ClusterUsage | undefined;
  nodes: Map<string, NodeUsageView>;
  pods: Map<string, PodUsageView>;
  /** Moves with each answer, so memoised cards know to re-render. */
  version: number;
  error: WireError | undefined;
}

const EMPTY: UsageState = {
  usage: undefined,
  nodes: new Map(),
  pods: new Map(),
  version: 0,
  error: undefined,
};

export const useClusterUsage = (lab: string): UsageState => {
  const [state, setState] = useState<UsageState>(EMPTY);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState(EMPTY);
    const ask = () => {
      api.cluster.usage.query({ lab }).then(
        (usage) => {
          if (!live) return;
          setState((s) => ({
            usage,
            nodes: new Map(usage.available ? usage.nodes.map((n) => [n.name, n]) : []),
            pods: new Map(usage.available ? usage.pods.map((p) => [p.key, p]) : []),
            version: s.version + 1,
            error: undefined,
          }));
        },
        (cause: unknown) => {
          if (live) setState((s) => ({ ...s, error: wireErrorOf(cause) }));
        },
      );
      timer = setTimeout(ask, USAGE_POLL_MS);
    };
    ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [lab]);
  return state;
};
