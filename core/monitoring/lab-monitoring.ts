// A lab's monitoring, whatever the backend: the backend says where Prometheus and Alertmanager
// run (its `monitoring` placement) and this module starts, stops, finds and checks them. Callers
// (up, down, the scenario runner, the server) never ask which backend a lab is on.
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LabContext, MonitoringPlacement } from '../backends/cluster-backend.ts';
import { MANIFESTS_DIR, renderKustomization } from '../stack/render-overlay.ts';
import type { TaskReporter } from '../tasks/task.ts';
import { requireMonitoringBinaries } from './monitoring-binaries.ts';
import { monitoringAccess, type MonitoringEndpoints } from './monitoring-access.ts';
import {
  monitoringProcesses,
  startSimMonitoring,
  stopSimMonitoring,
  type SimMonitoring,
} from './sim-monitoring.ts';

export type { MonitoringEndpoints } from './monitoring-access.ts';

/** Whether the engine itself runs (and so reaches) the lab's monitoring. */
export const runsOnHost = (placement: MonitoringPlacement): boolean => placement.runs === 'host-processes';

/** Refuses, before anything is created, monitoring whose tools are missing here. */
export const requireMonitoringTools = async (placement: MonitoringPlacement): Promise<void> => {
  if (runsOnHost(placement)) await requireMonitoringBinaries();
};

/** The monitoring objects to deploy with the stack: its pods run on the monitoring pool everywhere. */
export const monitoringManifests = (
  placement: MonitoringPlacement,
  kubectl: string,
): Promise<KubernetesObject[]> =>
  renderKustomization(kubectl, join(MANIFESTS_DIR, 'monitoring', 'overlays', placement.overlay));

/** (Re)starts the monitoring the engine runs for the lab; undefined where the cluster runs it. */
export const startLabMonitoring = async (
  placement: MonitoringPlacement,
  lab: LabContext,
  task: TaskReporter,
): Promise<SimMonitoring | undefined> => {
  if (!runsOnHost(placement)) return undefined;
  await stopSimMonitoring(lab, task);
  return startSimMonitoring(lab, task);
};

/** Stops whatever monitoring process the engine started for the lab; a no-op when none runs. */
export const stopLabMonitoring = (lab: Pick<LabContext, 'dir'>, task: TaskReporter): Promise<void> =>
  stopSimMonitoring(lab, task);

/**
 * Where the engine reaches the lab's monitoring (port-forwards to its Services, the same on every
 * backend), or undefined when the lab runs without it; throws when its Services are not there.
 */
export const readLabMonitoring = async (
  lab: LabContext,
  record: { monitoring: boolean },
): Promise<MonitoringEndpoints | undefined> => (record.monitoring ? monitoringAccess(lab) : undefined);

/** One line per monitoring process of the lab that should run and does not. */
export const monitoringFindings = async (lab: Pick<LabContext, 'dir'>): Promise<string[]> =>
  (await monitoringProcesses(lab))
    .filter((p) => !p.running)
    .map((p) => `${p.name} (pid ${p.pid}) is not running`);
