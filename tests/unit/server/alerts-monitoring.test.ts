// Why a lab's alerts and charts are not available, in words with a fix, the same on every backend.
import { describe, expect, it } from 'vitest';
import type { LabRecord } from '../../../core/lab/lab-record.ts';
import { labMonitoring } from '../../../core/server/services/alert-monitoring.ts';

const record = (over: Partial<LabRecord>): LabRecord => ({
  name: 'lab-a',
  backend: 'sim',
  createdAt: '2025-01-01T00:00:00.000Z',
  topologyFile: '/nowhere/topology.yaml',
  state: 'ready',
  namespace: 'shop',
  monitoring: true,
  ...over,
});

describe('lab monitoring for alerts and charts', () => {
  it('says a sim lab without monitoring has none, and how to start it', async () => {
    expect(await labMonitoring(record({ monitoring: false }))).toEqual({
      reason: 'lab lab-a runs without monitoring',
      fix: 'start its Prometheus and Alertmanager: npx kartstream up --name lab-a',
    });
  });

  it('answers a kind lab as it answers a sim lab: one path for every backend', async () => {
    expect(await labMonitoring(record({ backend: 'kind', monitoring: false }))).toEqual({
      reason: 'lab lab-a runs without monitoring',
      fix: 'start its Prometheus and Alertmanager: npx kartstream up --name lab-a',
    });
  });
});
