// `down`: stops every process of the lab and removes its files. Safe to run twice.
import { existsSync } from 'node:fs';
import { backendByName } from '../backends/choose-backend.ts';
import type { DeleteOptions } from '../backends/cluster-backend.ts';
import { labDir } from '../home/paths.ts';
import { stopLabMonitoring } from '../monitoring/lab-monitoring.ts';
import { closeMonitoringAccess } from '../monitoring/monitoring-access.ts';
import { runTask, type RunTaskOptions } from '../tasks/task.ts';
import { DEFAULT_TOPOLOGY_FILE } from '../topology/load-topology.ts';
import { checkLabName } from '../home/lab-name.ts';
import { labContext, readLabRecord } from './lab-record.ts';
import { withLabLock } from './lab-lock.ts';

// Returns false when there was no such lab (nothing to do), 'forgotten' for an attached cluster
// (which goes on running), true for a lab whose cluster was stopped.
export const downLab = async (
  name: string,
  taskOptions: RunTaskOptions = {},
  options: DeleteOptions = {},
): Promise<boolean | 'forgotten'> =>
  withLabLock(checkLabName(name), 'down', () => downLocked(name, taskOptions, options));

const downLocked = async (
  name: string,
  taskOptions: RunTaskOptions,
  options: DeleteOptions,
): Promise<boolean | 'forgotten'> => {
  const record = await readLabRecord(name);
  if (!record && !existsSync(labDir(name))) return false;
  // A lab dir without a record is what a crash in `up` before the record leaves, and `up` writes
  // the record before it creates anything but a sim cluster's first files; `attach` writes its
  // record first. So a recordless dir is sim's by construction.
  const backend = backendByName(record?.backend ?? 'sim');
  const lab = await labContext({ name, topologyFile: record?.topologyFile ?? DEFAULT_TOPOLOGY_FILE });
  await runTask(
    `Stop lab ${name}`,
    async (task) => {
      task.step(
        record?.backend === 'external'
          ? "Take back KartStream's changes to the attached cluster and forget the lab"
          : `Stop the ${backend.name} cluster and remove its files`,
      );
      await closeMonitoringAccess(name);
      await stopLabMonitoring(lab, task);
      await backend.delete(lab, task, options);
    },
    taskOptions,
  );
  return record?.backend === 'external' ? 'forgotten' : true;
};
