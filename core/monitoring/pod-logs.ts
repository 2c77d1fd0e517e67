// Pod logs for a sim lab. KWOK pods run no container, so the lab agent writes what each shop
// container would print (boutique-log-lines.ts) to files in CRI format, one per container, and
// gives every pod a KWOK `Logs` object (name = the pod's) pointing at them; `kubectl logs` and
// any API client then read them through the API server like a kubelet's. Start-up lines are
// written when a container runs; a restart (the crash loop fault) appends the crashed
// container's last words and turns its file into the `--previous` one; a terminated container
// (the failed fault) gets its last words too; lines a running container prints later (its calls
// failing, failure-logs.ts) are appended through `append`. Files are 0600 in 0700 dirs, capped in size, and
// removed with their pod (the Logs object goes with it: the pod owns it).
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubernetesObject, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { ensurePrivateDir, writePrivateJson } from '../home/private-files.ts';
import { kubeClients, type KubeClients } from '../kube/kube-client.ts';
import { serverSideApply } from '../kube/server-side-apply.ts';
import type { WatchStore } from '../kube/watch-store.ts';
import { SHOP_NAMESPACE } from '../topology/shop.ts';
import { crashLines, startupLines, type LogLine } from './boutique-log-lines.ts';
import { appendCapped, criLines } from './cri-log.ts';

/** A container's log file stays under this size (the kubelet's default rotation is 10 MiB). */
export const POD_LOG_MAX_BYTES = 1024 * 1024;

export interface PodLogsOptions {
  clients: KubeClients;
  store: WatchStore;
  /** Where the files go: `<dir>/<namespace>/<pod>/<container>.log` (and `.previous.log`). */
  dir: string;
  /** The namespaces whose pods get logs (the shop's); other pods are left to other rules. */
  namespaces: string[];
  maxBytes?: number;
  /** Told about a failure to write or apply (the agent keeps running). */
  onError?: (error: unknown) => void;
}

/** What the writer remembers of a container, kept next to its files so an agent restart resumes. */
interface ContainerState {
  restarts: number;
  /** The current file holds the start-up lines of the running attempt. */
  started: boolean;
  /** The current file already ends with the attempt's last words. */
  crashed: boolean;
}
type PodState = Record<string, ContainerState>;

const keyOf = (pod: V1Pod) => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

// The `Logs` object KWOK reads for one pod: each container's current and previous file.
export const podLogsObject = (pod: V1Pod, podDir: string): KubernetesObject & { spec: unknown } => ({
  apiVersion: 'kwok.x-k8s.io/v1alpha1',
  kind: 'Logs',
  metadata: {
    name: pod.metadata?.name,
    namespace: pod.metadata?.namespace,
    ownerReferences: [
      { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    ],
  },
  spec: {
    logs: (pod.spec?.containers ?? []).map((c) => ({
      containers: [c.name],
      logsFile: join(podDir, `${c.name}.log`),
      previousLogsFile: join(podDir, `${c.name}.previous.log`),
      follow: true,
    })),
  },
});

export interface PodLogs {
  /**
   * Appends lines a pod's (first) container prints while it runs, e.g. when its calls fail
   * (failure-logs.ts); a pod not known or not started yet drops them.
   */
  append: (namespace: string, pod: string, lines: readonly LogLine[]) => void;
  /** Stops following the pods and waits for the writes in flight. */
  stop: () => Promise<void>;
}

// Starts writing the logs of the watched namespaces' pods.
export const startPodLogs = async (options: PodLogsOptions): Promise<PodLogs> => {
  const maxBytes = options.maxBytes ?? POD_LOG_MAX_BYTES;
  const states = new Map<string, PodState>();
  const applied = new Set<string>();
  const queues = new Map<string, Promise<void>>();
  const podDir = (pod: V1Pod) => join(options.dir, pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
  const watched = (pod: V1Pod) => options.namespaces.includes(pod.metadata?.namespace ?? '');

  const write = (file: string, at: Date, lines: LogLine[]) =>
    appendCapped(file, lines.map((l) => criLines(at, l.stream, l.text)).join(''), maxBytes);

  const loadState = async (pod: V1Pod): Promise<PodState> => {
    const known = states.get(keyOf(pod));
    if (known) return known;
    const state = await readFile(join(podDir(pod), 'state.json'), 'utf8')
      .then((s) => JSON.parse(s) as PodState)
      .catch(() => ({}) as PodState);
    states.set(keyOf(pod), state);
    return state;
  };

  const updateContainer = async (pod: V1Pod, status: V1ContainerStatus, state: ContainerState) => {
    const dir = podDir(pod);
    const current = join(dir, `${status.name}.log`);
    const app = pod.metadata?.labels?.app ?? '';
    const container = pod.spec?.containers?.find((c) => c.name === status.name);
    const port = container?.ports?.[0]?.containerPort ?? 0;
    const context = (at: Date) => ({ pod: pod.metadata?.name ?? '', port, at });
    const lastWords = async (at: Date) => {
      if (state.started && !state.crashed) await write(current, at, crashLines(app, context(at)));
      state.crashed = true;
    };
    const restarts = status.restartCount ?? 0;
    if (restarts > state.restarts) {
      // The attempt that ran has died: its file becomes the previous one, and a new attempt starts.
      const finished = status.lastState?.terminated?.finishedAt;
      await lastWords(finished ? new Date(finished) : new Date());
      if (state.started) await rename(current, join(dir, `${status.name}.previous.log`));
      state.restarts = restarts;
      state.started = false;
      state.crashed = false;
      const now = new Date();
      await write(current, now, startupLines(app, context(now)));
      state.started = true;
      // Waiting in back-off: this attempt crashed as well.
      if (status.state?.waiting) await lastWords(new Date(now.getTime() + 1));
    } else if (!state.started && (status.state?.running || status.state?.terminated)) {
      const startedAt = status.state.running?.startedAt ?? status.state.terminated?.startedAt;
      const at = startedAt ? new Date(startedAt) : new Date();
      await write(current, at, startupLines(app, context(at)));
      state.started = true;
    }
    if (status.state?.terminated && (status.state.terminated.exitCode ?? 0) !== 0) {
      const finished = status.state.terminated.finishedAt;
      await lastWords(finished ? new Date(finished) : new Date());
    }
  };

  const update = async (pod: V1Pod) => {
    const dir = podDir(pod);
    await ensurePrivateDir(dir);
    const state = await loadState(pod);
    for (const status of pod.status?.containerStatuses ?? []) {
      const container = (state[status.name] ??= {
        restarts: status.restartCount ?? 0,
        started: false,
        crashed: false,
      });
      await updateContainer(pod, status, container);
    }
    await writePrivateJson(join(dir, 'state.json'), state);
    if (!applied.has(keyOf(pod)) && Object.keys(state).length > 0) {
      // A file KWOK is pointed at must exist, or `kubectl logs` fails instead of showing nothing.
      for (const c of pod.spec?.containers ?? [])
        await writeFile(join(dir, `${c.name}.log`), '', { flag: 'a', mode: 0o600 });
      await serverSideApply(options.clients, [podLogsObject(pod, dir)]);
      applied.add(keyOf(pod));
    }
  };

  const remove = async (pod: V1Pod) => {
    states.delete(keyOf(pod));
    applied.delete(keyOf(pod));
    await rm(podDir(pod), { recursive: true, force: true });
  };

  // One pod's changes run in order; different pods in parallel.
  const enqueue = (pod: V1Pod, work: (pod: V1Pod) => Promise<void>) => {
    const key = keyOf(pod);
    const next = (queues.get(key) ?? Promise.resolve())
      .then(() => work(pod))
      .catch((error: unknown) => options.onError?.(error));
    queues.set(key, next);
    void next.finally(() => {
      if (queues.get(key) === next) queues.delete(key);
    });
  };

  // Files of pods that went while no agent ran.
  for (const namespace of options.namespaces) {
    const live = new Set(options.store.pods(namespace).map((p) => p.metadata?.name));
    const dirs = await readdir(join(options.dir, namespace)).catch(() => [] as string[]);
    for (const d of dirs.filter((d) => !live.has(d)))
      await rm(join(options.dir, namespace, d), { recursive: true, force: true });
  }
  for (const pod of options.store.pods()) if (watched(pod)) enqueue(pod, update);
  const unsubscribe = options.store.onObjectChange((change) => {
    if (change.kind !== 'Pod' || !watched(change.object as V1Pod)) return;
    enqueue(change.object as V1Pod, change.type === 'delete' ? remove : update);
  });
  const appendLines = async (pod: V1Pod, lines: readonly LogLine[]) => {
    const container = pod.spec?.containers?.[0]?.name;
    const state = await loadState(pod);
    if (!container || !state[container]?.started) return;
    await write(join(podDir(pod), `${container}.log`), new Date(), [...lines]);
  };
  return {
    append: (namespace, name, lines) => {
      const pod = options.store.pods(namespace).find((p) => p.metadata?.name === name);
      if (pod && watched(pod) && lines.length > 0) enqueue(pod, (p) => appendLines(p, lines));
    },
    stop: async () => {
      unsubscribe();
      await Promise.all(queues.values());
    },
  };
};

// The lab agent's pod logs: the shop's pods, errors to stderr (the agent's log); none without a dir.
export const startShopPodLogs = async (
  store: WatchStore,
  kubeconfigPath: string,
  dir: string | undefined,
): Promise<PodLogs | undefined> =>
  dir
    ? startPodLogs({
        clients: kubeClients(kubeconfigPath),
        store,
        dir,
        namespaces: [SHOP_NAMESPACE],
        onError: (error) => process.stderr.write(`pod logs: ${(error as Error).message ?? String(error)}\n`),
      })
    : undefined;
