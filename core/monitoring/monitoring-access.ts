// How the engine reaches a lab's Prometheus and Alertmanager, the same on every backend: port-
// forwards through the Kubernetes API to the Services `prometheus` and `alertmanager` in namespace
// `monitoring`, as `kubectl -n monitoring port-forward svc/prometheus 9090` would. On sim the
// pods' ports are routed by KWOK to the host processes; on kind/EKS/attached clusters they are
// the real containers. One pair of forwards per lab and process, opened on first use and reused
// (each connection picks a Ready pod, so a forward outlives its pod); closed on `down`.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext } from '../backends/cluster-backend.ts';
import { openPortForward, type OpenPortForward } from '../kube/port-forward.ts';
import { monitoringDir } from './sim-monitoring.ts';

/** Where the engine reaches a lab's monitoring: 127.0.0.1 URLs of its forwards. */
export interface MonitoringEndpoints {
  prometheus: string;
  alertmanager: string;
  /** The lab agent's record of Alertmanager's notifications (sim labs), for resolved alerts. */
  alertHistory?: string;
}

export const MONITORING_NAMESPACE = 'monitoring';
const PROMETHEUS = { namespace: MONITORING_NAMESPACE, service: 'prometheus', port: 9090 } as const;
const ALERTMANAGER = { namespace: MONITORING_NAMESPACE, service: 'alertmanager', port: 9093 } as const;

interface OpenAccess {
  /** The kubeconfig's mtime when opened: a lab recreated under the same name gets new forwards. */
  kubeconfigStamp: number;
  forwards: Promise<[OpenPortForward, OpenPortForward]>;
}

const open = new Map<string, OpenAccess>();

const stampOf = (path: string): number => (existsSync(path) ? statSync(path).mtimeMs : 0);

const closeForwards = async (access: OpenAccess): Promise<void> => {
  const forwards = await access.forwards.catch(() => []);
  await Promise.all(forwards.map((f) => f.close()));
};

// Opens both forwards, closing the first when the second fails.
const openForwards = async (kubeconfigPath: string): Promise<[OpenPortForward, OpenPortForward]> => {
  const prometheus = await openPortForward(kubeconfigPath, PROMETHEUS);
  try {
    return [prometheus, await openPortForward(kubeconfigPath, ALERTMANAGER)];
  } catch (error) {
    await prometheus.close();
    throw error;
  }
};

/** The lab's monitoring endpoints, opening the forwards on first use; throws when a Service is missing. */
export const monitoringAccess = async (
  lab: Pick<LabContext, 'name' | 'dir' | 'kubeconfigPath'>,
): Promise<MonitoringEndpoints> => {
  const stamp = stampOf(lab.kubeconfigPath);
  let access = open.get(lab.name);
  if (access && access.kubeconfigStamp !== stamp) {
    open.delete(lab.name);
    await closeForwards(access);
    access = undefined;
  }
  if (!access) {
    access = { kubeconfigStamp: stamp, forwards: openForwards(lab.kubeconfigPath) };
    open.set(lab.name, access);
    // A failed open is not kept: the next call tries again (the Services may come later).
    const failed = access;
    failed.forwards.catch(() => {
      if (open.get(lab.name) === failed) open.delete(lab.name);
    });
  }
  const [prometheus, alertmanager] = await access.forwards;
  const history = join(monitoringDir(lab), 'alerts.jsonl');
  return {
    prometheus: prometheus.url,
    alertmanager: alertmanager.url,
    ...(existsSync(history) ? { alertHistory: history } : {}),
  };
};

/** Closes the lab's forwards (on `down`); a no-op when none is open. */
export const closeMonitoringAccess = async (labName: string): Promise<void> => {
  const access = open.get(labName);
  if (!access) return;
  open.delete(labName);
  await closeForwards(access);
};

/** Closes every forward this process opened (a CLI command closes them before it exits). */
export const closeAllMonitoringAccess = async (): Promise<void> => {
  await Promise.all([...open.keys()].map(closeMonitoringAccess));
};
