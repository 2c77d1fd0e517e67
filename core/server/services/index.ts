// Builds the services behind the API from the engine, one module per area, sharing one task
// registry. `close()` cancels running tasks, then releases what the services registered
// (watch stores, timers, child processes), newest first.
import { readFileSync } from 'node:fs';
import type { EngineServices } from '../../contract/services.ts';
import { SharedWatchStores } from '../../kube/shared-watch-stores.ts';
import { GrafanaForwards } from '../grafana-forwards.ts';
import { openGrafanaForward } from '../grafana-port-forward.ts';
import { TaskRegistry } from '../task-registry.ts';
import { createActionsService } from './actions-service.ts';
import { createAlertsService } from './alerts-service.ts';
import { createAppService } from './app-service.ts';
import { createClusterService } from './cluster-service.ts';
import { createDashboardsService } from './dashboards-service.ts';
import { createGrafanaService } from './grafana-service.ts';
import { createLabsService } from './labs-service.ts';
import { createLogsService } from './logs-service.ts';
import { createMetricsService } from './metrics-service.ts';
import { createPromoteService } from './promote-service.ts';
import { createScenariosService } from './scenarios-service.ts';
import { createGamedayService } from './gameday-service.ts';
import { createTasksService } from './tasks-service.ts';
import { createTrafficService } from './traffic-service.ts';
import { createIncidentService, createTimelineService } from './timeline-service.ts';
import type { ServiceContext } from './service-context.ts';

const packageVersion = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
};

export interface CreatedServices {
  services: EngineServices;
  close(): Promise<void>;
}

export const createServices = (options: { defaultLab: string; desktop: boolean }): CreatedServices => {
  const closers: (() => Promise<void> | void)[] = [];
  const tasks = new TaskRegistry();
  const ctx: ServiceContext = {
    tasks,
    defaultLab: options.defaultLab,
    desktop: options.desktop,
    version: packageVersion(),
    grafana: new GrafanaForwards(openGrafanaForward),
    stores: new SharedWatchStores(),
    onClose: (fn) => closers.push(fn),
  };
  ctx.onClose(() => ctx.grafana.closeAll());
  // Registered before the services' cleanups, so it runs after them (the feeds hold its stores).
  ctx.onClose(() => ctx.stores.close());
  const services: EngineServices = {
    app: createAppService(ctx),
    labs: createLabsService(ctx),
    tasks: createTasksService(ctx),
    cluster: createClusterService(ctx),
    logs: createLogsService(ctx),
    actions: createActionsService(ctx),
    scenarios: createScenariosService(ctx),
    gameday: createGamedayService(ctx),
    alerts: createAlertsService(ctx),
    metrics: createMetricsService(ctx),
    dashboards: createDashboardsService(ctx),
    traffic: createTrafficService(ctx),
    grafana: createGrafanaService(ctx),
    promote: createPromoteService(ctx),
    timeline: createTimelineService(),
    incident: createIncidentService(),
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await tasks.cancelAll();
      // One failing cleanup must not keep the others from running.
      for (const fn of closers.reverse()) {
        await Promise.resolve()
          .then(fn)
          .catch((error: unknown) => process.stderr.write(`cleanup failed: ${String(error)}\n`));
      }
    })());
  return { services, close };
};
