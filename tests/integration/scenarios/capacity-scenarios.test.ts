// The capacity scenarios on one sim lab with monitoring: a load that outgrows the frontend's CPU
// (latency alert, then more replicas), and a node drain that takes a single-replica service down
// (then replicas, a PodDisruptionBudget and a drain without an outage).
import { describe } from 'vitest';
import { describeScenarioRuns, useScenarioLab } from '../helpers/scenario-suite.ts';

describe('capacity scenarios on a sim lab', () => {
  const lab = useScenarioLab('scn-capacity');
  describeScenarioRuns(lab, ['cpu-pressure', 'unsafe-drain']);
});
