// What every service module gets from `createServices`: the shared task registry, the lab the
// UI opens first, whether the Electron shell started us, our version, and a hook to release
// resources (watch stores, timers, child processes) when the server closes.
import type { SharedWatchStores } from '../../kube/shared-watch-stores.ts';
import type { GrafanaForwards } from '../grafana-forwards.ts';
import type { TaskRegistry } from '../task-registry.ts';

export interface ServiceContext {
  tasks: TaskRegistry;
  defaultLab: string;
  desktop: boolean;
  version: string;
  /** The port-forwards to labs' in-cluster Grafana (one per lab). */
  grafana: GrafanaForwards;
  /** Each lab's watch store, shared by the map, the usage figures and the runs this server starts. */
  stores: SharedWatchStores;
  /** Registers cleanup run by `close()`, in reverse order of registration. */
  onClose(fn: () => Promise<void> | void): void;
}
