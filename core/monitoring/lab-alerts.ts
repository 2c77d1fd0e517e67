// What `kartstream alerts` shows: every alert of the lab with its state. Firing alerts come from
// Alertmanager (what would notify someone), pending ones from Prometheus' rules, and resolved ones
// from the lab's alert history, written by the sim lab agent from Alertmanager's notifications
// (other backends have none: what resolved there is not listed).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AlertEvent } from './lab-agent.ts';
import { AlertmanagerApi, PrometheusApi } from './prometheus-api.ts';
import type { MonitoringEndpoints } from './monitoring-access.ts';

export interface LabAlert {
  name: string;
  state: 'pending' | 'firing' | 'resolved';
  severity: string;
  pool: string;
  service: string;
  since: string;
  summary: string;
  /** True when Alertmanager holds it back (inhibited or silenced). */
  suppressed?: boolean;
}

const key = (labels: Record<string, string>) =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k !== '__name__')
      .sort(),
  );

const row = (
  state: LabAlert['state'],
  labels: Record<string, string>,
  annotations: Record<string, string>,
  since: string,
): LabAlert => ({
  name: labels.alertname ?? '',
  state,
  severity: labels.severity ?? '',
  pool: labels.pool ?? '',
  service: labels.service ?? '',
  since,
  summary: annotations.summary ?? '',
});

// Reads the lab's alert history (one JSON object per line).
export const readAlertHistory = async (path: string): Promise<AlertEvent[]> =>
  existsSync(path)
    ? (await readFile(path, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AlertEvent)
    : [];

export const labAlerts = async (monitoring: MonitoringEndpoints): Promise<LabAlert[]> => {
  const [amAlerts, rules, history] = await Promise.all([
    new AlertmanagerApi(monitoring.alertmanager).alerts(),
    new PrometheusApi(monitoring.prometheus).alertingRules(),
    monitoring.alertHistory ? readAlertHistory(monitoring.alertHistory) : [],
  ]);
  const alerts: LabAlert[] = [];
  const active = new Set<string>();
  for (const a of amAlerts) {
    active.add(key(a.labels));
    alerts.push({
      ...row('firing', a.labels, a.annotations, a.startsAt),
      ...(a.status.state === 'suppressed' ? { suppressed: true } : {}),
    });
  }
  for (const rule of rules) {
    for (const a of rule.alerts ?? []) {
      const labels = { alertname: rule.name, ...a.labels };
      if (a.state === 'pending') alerts.push(row('pending', labels, a.annotations, a.activeAt ?? ''));
      else if (a.state === 'firing') active.add(key(labels));
    }
  }
  // The latest resolved notification of each alert that is not active again.
  const resolved = new Map<string, AlertEvent>();
  for (const event of history) if (event.status === 'resolved') resolved.set(key(event.labels), event);
  for (const [k, event] of resolved)
    if (!active.has(k)) alerts.push(row('resolved', event.labels, event.annotations, event.endsAt));
  const order = { firing: 0, pending: 1, resolved: 2 };
  return alerts.sort(
    (a, b) =>
      order[a.state] - order[b.state] || a.name.localeCompare(b.name) || a.service.localeCompare(b.service),
  );
};
