// Follows `cluster.watch` for a lab into a ClusterStore. Messages are applied as they arrive;
// React hears about them at most once per animation frame (the returned version moves).
import { useEffect, useState } from 'react';
import type { ClusterMessage, WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ClusterStore } from './cluster-store.ts';

export const useClusterStore = (lab: string): { store: ClusterStore; version: number; error?: WireError } => {
  const [store] = useState(() => new ClusterStore());
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<WireError>();

  useEffect(() => {
    store.startOver(lab);
    setVersion(store.version);
    setError(undefined);
    let frame = 0;
    const sub = api.cluster.watch.subscribe(
      { lab },
      {
        onData: (message: ClusterMessage) => {
          store.apply(message);
          if (frame === 0)
            frame = window.requestAnimationFrame(() => {
              frame = 0;
              setVersion(store.version);
            });
        },
        onError: (cause: unknown) => setError(wireErrorOf(cause)),
      },
    );
    return () => {
      sub.unsubscribe();
      if (frame !== 0) window.cancelAnimationFrame(frame);
    };
  }, [lab, store]);

  return { store, version, ...(error ? { error } : {}) };
};
