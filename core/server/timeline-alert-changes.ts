// Alert state changes for the timeline: the lab's alert list is read on a tick (Alertmanager
// cannot push), so a change is the difference between two reads: an alert that began firing, and
// one that stopped (resolved, or gone from the list).
import type { LabAlert } from '../monitoring/lab-alerts.ts';

export interface AlertChange {
  state: 'firing' | 'resolved';
  alert: LabAlert;
}

const alertKey = (a: LabAlert): string => `${a.name}|${a.pool}|${a.service}`;

/** The keys of the alerts firing in `alerts`, to compare with the next read. */
export const firingAlerts = (alerts: LabAlert[]): Map<string, LabAlert> =>
  new Map(alerts.filter((a) => a.state === 'firing').map((a) => [alertKey(a), a]));

export const alertChanges = (before: Map<string, LabAlert>, now: Map<string, LabAlert>): AlertChange[] => [
  ...[...now].filter(([k]) => !before.has(k)).map(([, alert]) => ({ state: 'firing' as const, alert })),
  ...[...before].filter(([k]) => !now.has(k)).map(([, alert]) => ({ state: 'resolved' as const, alert })),
];

export const alertChangeText = ({ state, alert }: AlertChange): string => {
  const where = alert.service || alert.pool;
  return `alert ${alert.name}${where ? ` (${where})` : ''} ${state === 'firing' ? 'is firing' : 'resolved'}${alert.summary && state === 'firing' ? `: ${alert.summary}` : ''}`;
};
