// A sim lab's metrics-server, started again when it has exited. metrics-server makes its start-up
// lookups against the API server fatal (k8s.io/apiserver's delegated authentication reads the
// extension-apiserver-authentication config map once before serving; a failed read ends the
// process), and kwokctl's binary runtime never restarts a component. On a loaded machine that
// left a lab with no Metrics API at all: CI's map said "connection refused" on metrics-server's
// port for two minutes. `kwokctl start cluster` starts the components that are not running.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabContext } from '../cluster-backend.ts';
import { isAlive } from '../../exec/process-alive.ts';
import { kwokClusterDir, kwokctl, labProcesses } from './kwokctl.ts';

/** Starts metrics-server again if its process is gone; says whether it had to. */
export const restartExitedMetricsServer = async (
  lab: Pick<LabContext, 'dir' | 'name'>,
  kwokctlBinary: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<boolean> => {
  const entry = (await labProcesses(lab)).find((p) => p.component === 'metrics-server');
  if (!entry || isAlive(entry.pid)) return false;
  log(
    `metrics-server (pid ${entry.pid}) has exited; starting it again (its log: ${join(kwokClusterDir(lab), 'logs', 'metrics-server.log')})`,
  );
  // kwokctl tells a running component by signal 0, which a zombie answers (where nothing reaps
  // the exited process): the pid file goes first.
  await rm(join(kwokClusterDir(lab), 'pids', 'metrics-server.pid'), { force: true });
  await kwokctl(kwokctlBinary, lab, ['start', 'cluster', '--name', lab.name], { log, signal });
  return true;
};
