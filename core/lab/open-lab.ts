// Opens an existing lab for an action: its record, its context and its backend.
import type { ClusterBackend, LabContext } from '../backends/cluster-backend.ts';
import { backendByName } from '../backends/choose-backend.ts';
import { checkLabName } from '../home/lab-name.ts';
import { labContext, requireLabRecord, type LabRecord } from './lab-record.ts';

export interface OpenLab {
  record: LabRecord;
  lab: LabContext;
  backend: ClusterBackend;
}

export const openLab = async (name: string): Promise<OpenLab> => {
  const record = await requireLabRecord(checkLabName(name));
  return { record, lab: await labContext(record), backend: backendByName(record.backend) };
};
