// Where a lab's Prometheus and Alertmanager answer for the server (port-forwards to their
// Services, on every backend), or why they do not: a lab without monitoring, or one whose
// monitoring Services are not there (yet).
import { labContext, type LabRecord } from '../../lab/lab-record.ts';
import { upCommand } from '../../home/lab-name.ts';
import { describeError } from '../../errors/kartstream-error.ts';
import { readLabMonitoring, type MonitoringEndpoints } from '../../monitoring/lab-monitoring.ts';

export type LabMonitoring = { monitoring: MonitoringEndpoints } | { reason: string; fix: string };

export const labMonitoring = async (record: LabRecord): Promise<LabMonitoring> => {
  const lab = record.name;
  if (!record.monitoring)
    return {
      reason: `lab ${lab} runs without monitoring`,
      fix: `start its Prometheus and Alertmanager: ${upCommand(lab)}`,
    };
  try {
    const monitoring = await readLabMonitoring(await labContext(record), record);
    if (monitoring) return { monitoring };
  } catch (error) {
    return {
      reason: `the monitoring of lab ${lab} cannot be reached (the lab is ${record.state}): ${describeError(error)}`,
      fix: `wait for the lab to be ready, or start it again: ${upCommand(lab)}`,
    };
  }
  return { reason: `lab ${lab} runs without monitoring`, fix: `start it with monitoring: ${upCommand(lab)}` };
};
