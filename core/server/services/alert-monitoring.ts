// Where a lab's Prometheus and Alertmanager answer for the server, or why they do not: a lab
// without monitoring, a kind lab (its monitoring runs inside the cluster, reached through
// Grafana), or a sim lab whose monitoring processes have not started.
import { labDir } from '../../home/paths.ts';
import type { LabRecord } from '../../lab/lab-record.ts';
import { upCommand } from '../../home/lab-name.ts';
import { backendByName } from '../../backends/choose-backend.ts';
import { readLabMonitoring, runsOnHost, type MonitoringEndpoints } from '../../monitoring/lab-monitoring.ts';

export type LabMonitoring = { monitoring: MonitoringEndpoints } | { reason: string; fix: string };

export const labMonitoring = async (record: LabRecord): Promise<LabMonitoring> => {
  const lab = record.name;
  if (!runsOnHost(backendByName(record.backend).monitoring))
    return {
      reason: `lab ${lab} runs Prometheus and Alertmanager inside its ${record.backend} cluster, which the app does not query`,
      fix: "open the lab's Grafana for its alerts and charts",
    };
  if (!record.monitoring)
    return {
      reason: `lab ${lab} runs without monitoring`,
      fix: `start its Prometheus and Alertmanager: ${upCommand(lab)}`,
    };
  const monitoring = await readLabMonitoring({ dir: labDir(lab) });
  if (!monitoring)
    return {
      reason: `the monitoring of lab ${lab} is not running (the lab is ${record.state})`,
      fix: `wait for the lab to be ready, or start it again: ${upCommand(lab)}`,
    };
  return { monitoring };
};
