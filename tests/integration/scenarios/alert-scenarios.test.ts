// The scenarios that wait on Prometheus and Alertmanager (alerts firing, then resolving), on one
// sim lab with monitoring.
import { describe } from 'vitest';
import { describeScenarioRuns, useScenarioLab } from '../helpers/scenario-suite.ts';

describe('alert scenarios on a sim lab', () => {
  const lab = useScenarioLab('scn-alerts');
  describeScenarioRuns(lab, ['alerting', 'scale-to-zero']);
});
