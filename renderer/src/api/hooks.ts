// Small React hooks over the typed client: a query that can be reloaded, and a subscription
// that follows its input and stops on unmount.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WireError } from '../../../core/contract/wire-types.ts';
import { wireErrorOf } from './client.ts';

export interface QueryState<T> {
  data: T | undefined;
  error: WireError | undefined;
  loading: boolean;
  reload: () => void;
}

export const useQuery = <T>(load: () => Promise<T>, deps: readonly unknown[]): QueryState<T> => {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<WireError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setLoading(true);
    loadRef.current().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (cause: unknown) => {
        if (!live) return;
        setError(wireErrorOf(cause));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
};

interface Unsubscribable {
  unsubscribe(): void;
}

/**
 * Follows a subscription: `start` subscribes with the given callbacks and returns the
 * subscription; it is restarted when `deps` change and stopped on unmount.
 */
export const useSubscription = <T>(
  start: (handlers: {
    onData: (value: T) => void;
    onError: (error: unknown) => void;
  }) => Unsubscribable | undefined,
  onData: (value: T) => void,
  deps: readonly unknown[],
): WireError | undefined => {
  const [error, setError] = useState<WireError>();
  const onDataRef = useRef(onData);
  onDataRef.current = onData;
  const startRef = useRef(start);
  startRef.current = start;
  useEffect(() => {
    setError(undefined);
    const sub = startRef.current({
      onData: (value) => onDataRef.current(value),
      onError: (cause) => setError(wireErrorOf(cause)),
    });
    return () => sub?.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return error;
};
