// What actions and checks of a running scenario work with: the lab, its backend, the watch
// store, the lab's monitoring, and the run's timeline.
import type { ClusterBackend, LabContext } from '../backends/cluster-backend.ts';
import type { KubeClients } from '../kube/kube-client.ts';
import type { WatchStore } from '../kube/watch-store.ts';
import type { MonitoringEndpoints } from '../monitoring/monitoring-access.ts';
import type { TaskReporter } from '../tasks/task.ts';

export interface ScenarioContext {
  lab: LabContext;
  backend: ClusterBackend;
  clients: KubeClients;
  store: WatchStore;
  monitoring?: MonitoringEndpoints;
  namespace: string;
  /** The directory of the scenario file (for `apply {file}`). */
  scenarioDir: string;
  runId: string;
  task: TaskReporter;
}

// A context for actions outside a run (reset, recovery): the store is started; stop it after.
export const openScenarioContext = async (
  labName: string,
  runId: string,
  scenarioDir: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<ScenarioContext> => {
  const { openLab } = await import('../lab/open-lab.ts');
  const { kubeClients } = await import('../kube/kube-client.ts');
  const { WatchStore } = await import('../kube/watch-store.ts');
  const { readLabMonitoring } = await import('../monitoring/lab-monitoring.ts');
  const opened = await openLab(labName);
  const clients = kubeClients(opened.lab.kubeconfigPath);
  const store = new WatchStore(clients);
  await store.start();
  return {
    ...opened,
    clients,
    store,
    monitoring: await readLabMonitoring(opened.lab, opened.record),
    namespace: opened.record.namespace,
    scenarioDir,
    runId,
    task: { step: () => undefined, progress: () => undefined, log: () => undefined, signal, logPath: '' },
  };
};
