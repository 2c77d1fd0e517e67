// Prometheus and Alertmanager for sim labs: found on PATH (Debian's `prometheus` and
// `prometheus-alertmanager`), or where KARTSTREAM_PROMETHEUS / KARTSTREAM_ALERTMANAGER point.
import { KartStreamError } from '../errors/kartstream-error.ts';
import { findOnPath, isExecutableFile } from '../exec/find-on-path.ts';

export interface MonitoringBinaries {
  prometheus: string;
  alertmanager: string;
}

const locate = async (envName: string, names: string[]): Promise<string | undefined> => {
  const override = process.env[envName];
  if (override) return (await isExecutableFile(override)) ? override : undefined;
  for (const name of names) {
    const path = await findOnPath(name);
    if (path) return path;
  }
  return undefined;
};

export const findMonitoringBinaries = async (): Promise<Partial<MonitoringBinaries>> => ({
  prometheus: await locate('KARTSTREAM_PROMETHEUS', ['prometheus']),
  alertmanager: await locate('KARTSTREAM_ALERTMANAGER', ['prometheus-alertmanager', 'alertmanager']),
});

export const requireMonitoringBinaries = async (): Promise<MonitoringBinaries> => {
  const found = await findMonitoringBinaries();
  const missing = [!found.prometheus && 'prometheus', !found.alertmanager && 'alertmanager'].filter(
    Boolean,
  ) as string[];
  if (found.prometheus && found.alertmanager) return found as MonitoringBinaries;
  throw new KartStreamError('missing-binary', `missing for the lab's monitoring: ${missing.join(', ')}`, {
    details: [
      'looked on PATH for prometheus, prometheus-alertmanager and alertmanager, and at KARTSTREAM_PROMETHEUS / KARTSTREAM_ALERTMANAGER',
    ],
    fix: 'on Debian/Ubuntu: sudo apt-get install prometheus prometheus-alertmanager (elsewhere: put prometheus and alertmanager on PATH); or start the lab without monitoring: kartstream up --no-monitoring',
  });
};
