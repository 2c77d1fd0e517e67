// sim: the pod's fate is the process's fate. A sim lab's Prometheus and Alertmanager pods run no
// containers; the real processes run on the host behind them. So that "monitoring went blind"
// is real, the lab agent stops a process (SIGSTOP: it keeps its data and its port, and answers
// nothing) while its pod is not Running and Ready (its node failed, it was evicted, it is
// Pending, its Deployment was scaled to zero) and resumes it (SIGCONT) when a pod runs again.
// Only once the Deployment exists: before `up` deploys it, the process runs on its own.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { isPodReady } from '../kube/readiness.ts';
import type { WatchStore } from '../kube/watch-store.ts';

/** The monitoring processes whose pods decide whether they answer: process name → pod `app` label. */
export const POD_BACKED_PROCESSES = { prometheus: 'prometheus', alertmanager: 'alertmanager' } as const;

const NAMESPACE = 'monitoring';
/** Also re-checked on a tick: a process may start (and write its pid) after the last change. */
const RECHECK_MS = 2_000;

const runs = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp && isPodReady(pod);

const pidOf = (dir: string, name: string): number | undefined => {
  const file = join(dir, `${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

/** Whether each pod-backed process should answer now; absent: no Deployment, not enforced. */
export const podFate = (store: WatchStore): Partial<Record<keyof typeof POD_BACKED_PROCESSES, boolean>> => {
  const fate: Partial<Record<keyof typeof POD_BACKED_PROCESSES, boolean>> = {};
  for (const [name, app] of Object.entries(POD_BACKED_PROCESSES) as [
    keyof typeof POD_BACKED_PROCESSES,
    string,
  ][]) {
    if (!store.deployments(NAMESPACE).some((d) => d.metadata?.name === app)) continue;
    fate[name] = store.pods(NAMESPACE).some((p) => p.metadata?.labels?.app === app && runs(p));
  }
  return fate;
};

// Keeps the processes whose pid files are in `dir` in step with their pods until the returned
// stop is called; `stop` resumes whatever it stopped, so nothing is left frozen.
export const followPodFate = (store: WatchStore, dir: string, log: (line: string) => void): (() => void) => {
  /** pid → process name, for the processes this watcher stopped. */
  const stopped = new Map<number, string>();
  const signal = (pid: number, sig: 'SIGSTOP' | 'SIGCONT'): boolean => {
    try {
      process.kill(pid, sig);
      return true;
    } catch {
      return false;
    }
  };
  const apply = () => {
    for (const [name, answers] of Object.entries(podFate(store))) {
      const pid = pidOf(dir, name);
      if (pid === undefined) continue;
      if (!answers && !stopped.has(pid) && signal(pid, 'SIGSTOP')) {
        stopped.set(pid, name);
        log(`${name} (pid ${pid}) stopped: its pod is not running`);
      } else if (answers) {
        // Sent even when this watcher did not stop it (an agent restarted meanwhile): a
        // SIGCONT to a running process does nothing, and nothing stays frozen by mistake.
        const resumed = signal(pid, 'SIGCONT');
        if (stopped.delete(pid) && resumed) log(`${name} (pid ${pid}) resumed: its pod runs again`);
      }
    }
  };
  const off = store.onChange(apply);
  const timer = setInterval(apply, RECHECK_MS);
  apply();
  return () => {
    off();
    clearInterval(timer);
    for (const pid of stopped.keys()) signal(pid, 'SIGCONT');
    stopped.clear();
  };
};
