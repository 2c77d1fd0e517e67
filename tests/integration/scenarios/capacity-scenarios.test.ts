// The capacity scenarios on one sim lab with monitoring: a load that outgrows the frontend's CPU
// (latency alert, then more replicas), and a node drain that takes a single-replica service down
// (then replicas, a PodDisruptionBudget and a drain without an outage).
import { describe, vi } from 'vitest';
import { describeScenarioRuns, useScenarioLab } from '../helpers/scenario-suite.ts';

// cpu-pressure waits out two alert windows (the page fires after a minute above the objective,
// and resolves after a minute under it): about 2.5 min auto-solved, more on a loaded machine.
vi.setConfig({ testTimeout: 300_000 });

describe('capacity scenarios on a sim lab', () => {
  const lab = useScenarioLab('scn-capacity');
  describeScenarioRuns(lab, ['cpu-pressure', 'unsafe-drain']);
});
