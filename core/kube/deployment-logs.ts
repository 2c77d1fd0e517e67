// The logs of every pod of a Deployment, read through the Kubernetes API as `kubectl logs
// deploy/<name>` would, whatever the backend: a kubelet serves them on kind and EKS, KWOK serves
// the files the lab agent writes on sim. Each line keeps its pod and container, so lines of all
// pods can be merged in time order with the pod name as a prefix.
import { Writable } from 'node:stream';
import { Log, Watch, type V1Pod } from '@kubernetes/client-node';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { apiStatus, type KubeClients } from './kube-client.ts';

export interface PodLogLine {
  pod: string;
  container: string;
  /** The time the container runtime stamped on the line (RFC 3339), '' if it had none. */
  at: string;
  text: string;
}

export interface PodLogError {
  pod: string;
  container: string;
  message: string;
}

export interface DeploymentLogs {
  pods: string[];
  lines: PodLogLine[];
  errors: PodLogError[];
}

export interface LogReadOptions {
  /** Lines from the end of each container's log (default 200). */
  tailLines?: number;
  /** The previous (crashed) container's log, as `kubectl logs --previous`. */
  previous?: boolean;
}

// Splits `<RFC 3339 time> <text>` lines (the API's `timestamps=true` output).
export const parseTimestamped = (pod: string, container: string, text: string): PodLogLine[] =>
  text
    .split('\n')
    .filter((line, i, all) => line.length > 0 || i < all.length - 1)
    .map((line) => {
      const space = line.indexOf(' ');
      const at = space > 0 ? line.slice(0, space) : '';
      return Number.isNaN(Date.parse(at))
        ? { pod, container, at: '', text: line }
        : { pod, container, at, text: line.slice(space + 1) };
    });

/** Lines of many pods in time order; lines of one container keep their order. */
export const mergeByTime = (lines: PodLogLine[]): PodLogLine[] =>
  lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => a.line.at.localeCompare(b.line.at) || a.i - b.i)
    .map(({ line }) => line);

// The Deployment's label selector as a string, refused with a clear message if it has none.
const selectorOf = async (clients: KubeClients, namespace: string, deployment: string): Promise<string> => {
  try {
    const d = await clients.apps.readNamespacedDeployment({ name: deployment, namespace });
    const labels = d.spec?.selector?.matchLabels ?? {};
    return Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  } catch (error) {
    if (apiStatus(error) === 404)
      throw new KartStreamError('not-found', `no Deployment ${deployment} in namespace ${namespace}`, {
        fix: `list them with \`kubectl get deployments -n ${namespace}\``,
      });
    throw error;
  }
};

const hasStarted = (pod: V1Pod) =>
  (pod.status?.containerStatuses ?? []).some(
    (s) => s.state?.running || s.lastState?.terminated || s.state?.terminated || (s.restartCount ?? 0) > 0,
  );

const errorText = (error: unknown): string => {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return (error as Error).message ?? String(error);
};

// Reads the logs of every container of every pod of the Deployment, merged in time order.
export const readDeploymentLogs = async (
  clients: KubeClients,
  namespace: string,
  deployment: string,
  options: LogReadOptions = {},
): Promise<DeploymentLogs> => {
  const labelSelector = await selectorOf(clients, namespace, deployment);
  const pods = (await clients.core.listNamespacedPod({ namespace, labelSelector })).items;
  const lines: PodLogLine[] = [];
  const errors: PodLogError[] = [];
  await Promise.all(
    pods.flatMap((pod) =>
      (pod.spec?.containers ?? []).map(async (c) => {
        const name = pod.metadata?.name ?? '';
        try {
          const text = await clients.core.readNamespacedPodLog({
            name,
            namespace,
            container: c.name,
            timestamps: true,
            tailLines: options.tailLines ?? 200,
            previous: options.previous ?? false,
          });
          lines.push(...parseTimestamped(name, c.name, text));
        } catch (error) {
          errors.push({ pod: name, container: c.name, message: errorText(error) });
        }
      }),
    ),
  );
  return { pods: pods.map((p) => p.metadata?.name ?? '').sort(), lines: mergeByTime(lines), errors };
};

export interface FollowHandlers {
  onLines(lines: PodLogLine[]): void;
  onError(error: PodLogError): void;
}

/** A restarted container is followed again after this pause, once its runtime has its new log. */
export const REFOLLOW_DELAY_MS = 1_000;
/** A container's stream is tried this many times, REFOLLOW_DELAY_MS apart, before its error is told. */
const OPEN_ATTEMPTS = 10;

// A writable that hands on whole lines as they arrive.
const lineSink = (onLines: (text: string) => void): Writable => {
  let rest = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = rest + chunk.toString('utf8');
      const end = text.lastIndexOf('\n');
      rest = text.slice(end + 1);
      if (end >= 0) onLines(text.slice(0, end + 1));
      done();
    },
  });
};

const restartsOf = (pod: V1Pod) =>
  (pod.status?.containerStatuses ?? []).reduce((sum, s) => sum + (s.restartCount ?? 0), 0);

/**
 * Remembers the lines a pod's containers have shown, so a container followed again repeats
 * none of them. Each stream gets its own filter; a line is new when this stream has carried it
 * more often than all earlier streams together (one attempt may print the same line twice).
 */
export const seenLines = (keep = 2_000) => {
  const shown = new Map<string, number>();
  return (): ((lines: PodLogLine[]) => PodLogLine[]) => {
    const carried = new Map<string, number>();
    return (lines) =>
      lines.filter((line) => {
        const key = `${line.container}\u0000${line.at}\u0000${line.text}`;
        const count = (carried.get(key) ?? 0) + 1;
        carried.set(key, count);
        if (count <= (shown.get(key) ?? 0)) return false;
        shown.set(key, count);
        if (shown.size > keep) shown.delete(shown.keys().next().value as string);
        return true;
      });
  };
};

/**
 * Follows the logs of the Deployment's pods until `signal` aborts: the last `tailLines` of each
 * container first, then new lines as they are written; pods that start later are followed
 * when they do, pods that go are dropped. A container that restarts is followed again: a
 * kubelet ends the stream when its container exits, and in sim the old file is renamed to the
 * previous one while KWOK keeps reading it; lines already shown are not repeated.
 */
export const followDeploymentLogs = async (
  clients: KubeClients,
  namespace: string,
  deployment: string,
  handlers: FollowHandlers,
  signal: AbortSignal,
  options: { tailLines?: number } = {},
): Promise<void> => {
  const labelSelector = await selectorOf(clients, namespace, deployment);
  const log = new Log(clients.config);
  interface Followed {
    restarts: number;
    /** Bumped when the streams are stopped, so a stream that opens late is closed at once. */
    generation: number;
    streams: AbortController[];
    seen: () => (lines: PodLogLine[]) => PodLogLine[];
    timers: NodeJS.Timeout[];
  }
  const followed = new Map<string, Followed>();
  // Opens one container's stream; a refused one is tried again for a while (a pod seen running
  // may not have its log yet: in sim the lab agent writes it on the same event).
  const openContainer = (name: string, container: string, state: Followed, attempt = 1) => {
    const generation = state.generation;
    const current = () => !signal.aborted && state.generation === generation;
    const fresh = state.seen();
    const sink = lineSink((text) => {
      const lines = fresh(parseTimestamped(name, container, text));
      if (lines.length > 0) handlers.onLines(lines);
    });
    log
      .log(namespace, name, container, sink, {
        follow: true,
        timestamps: true,
        tailLines: options.tailLines ?? 200,
      })
      .then((controller) => (current() ? state.streams.push(controller) : controller.abort()))
      .catch((error: unknown) => {
        if (!current()) return;
        if (attempt >= OPEN_ATTEMPTS)
          return handlers.onError({ pod: name, container, message: errorText(error) });
        state.timers.push(
          setTimeout(
            () => current() && openContainer(name, container, state, attempt + 1),
            REFOLLOW_DELAY_MS,
          ),
        );
      });
  };
  const open = (pod: V1Pod, state: Followed) => {
    for (const c of pod.spec?.containers ?? []) openContainer(pod.metadata?.name ?? '', c.name, state);
  };
  const stopStreams = (state: Followed) => {
    for (const timer of state.timers.splice(0)) clearTimeout(timer);
    state.generation += 1;
    for (const controller of state.streams.splice(0)) controller.abort();
  };
  const follow = (pod: V1Pod) => {
    const name = pod.metadata?.name ?? '';
    if (!hasStarted(pod) || signal.aborted) return;
    const known = followed.get(name);
    if (!known) {
      const state: Followed = {
        restarts: restartsOf(pod),
        generation: 0,
        streams: [],
        timers: [],
        seen: seenLines(),
      };
      followed.set(name, state);
      open(pod, state);
    } else if (restartsOf(pod) > known.restarts) {
      known.restarts = restartsOf(pod);
      stopStreams(known);
      known.timers.push(
        setTimeout(() => followed.get(name) === known && open(pod, known), REFOLLOW_DELAY_MS),
      );
    }
  };
  const drop = (name: string) => {
    const state = followed.get(name);
    if (state) stopStreams(state);
    followed.delete(name);
  };
  const watch = await new Watch(clients.config).watch(
    `/api/v1/namespaces/${namespace}/pods`,
    { labelSelector },
    (type: string, pod: V1Pod) => (type === 'DELETED' ? drop(pod.metadata?.name ?? '') : follow(pod)),
    () => {},
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      watch.abort();
      for (const name of [...followed.keys()]) drop(name);
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
};
