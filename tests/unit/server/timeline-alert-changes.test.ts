// Alert state changes between two reads of the lab's alerts, as the timeline writes them.
import { describe, expect, it } from 'vitest';
import type { LabAlert } from '../../../core/monitoring/lab-alerts.ts';
import { alertChanges, alertChangeText, firingAlerts } from '../../../core/server/timeline-alert-changes.ts';

const alert = (name: string, state: LabAlert['state'], service = 'cartservice'): LabAlert => ({
  name,
  state,
  severity: 'critical',
  pool: 'backend',
  service,
  since: '2026-12-05T20:00:00Z',
  summary: `${name} on ${service}`,
});

describe('alert changes', () => {
  it('says which alerts began firing and which stopped, ignoring pending ones', () => {
    const before = firingAlerts([alert('PodCrashLooping', 'firing'), alert('HighLatency', 'pending')]);
    const now = firingAlerts([alert('HighLatency', 'firing'), alert('PodCrashLooping', 'resolved')]);
    expect(alertChanges(before, now).map(alertChangeText)).toEqual([
      'alert HighLatency (cartservice) is firing: HighLatency on cartservice',
      'alert PodCrashLooping (cartservice) resolved',
    ]);
    expect(alertChanges(now, now)).toEqual([]);
  });
});
