// Test files in the order they start: the few that take minutes first (longest first, as measured
// in CI), then Vitest's own order. Three workers share the run; a long file started last would
// leave the others idle while it finishes. Update the list when a file's time changes a lot
// (test-results/vitest.json has each file's start and end).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOW_FIRST = [
  'tests/integration/scenarios/capacity-scenarios.test.ts',
  'tests/e2e/app.test.ts',
  'tests/integration/scenarios/nodes-and-rollouts.test.ts',
  'tests/integration/scenarios/traffic-scenarios.test.ts',
  'tests/integration/bad-input-corpus.test.ts',
  'tests/integration/scenarios/alert-scenarios.test.ts',
  'tests/integration/promote/promote-resume.test.ts',
  'tests/integration/scenarios/zone-scenarios.test.ts',
  'tests/integration/sim-monitoring.test.ts',
  'tests/integration/server-alerts.test.ts',
  'tests/integration/sim-traffic.test.ts',
  'tests/integration/sim-usage.test.ts',
  'tests/integration/sim-metrics.test.ts',
  'tests/integration/sim-download.test.ts',
  'tests/integration/promote/promote-moto.test.ts',
  'tests/integration/crash-safety-apiserver.test.ts',
  'tests/integration/crash-safety-scenario.test.ts',
  'tests/integration/crash-safety-cli.test.ts',
  'tests/integration/attach-external.test.ts',
  'tests/integration/server-scenarios.test.ts',
  'tests/integration/sim-lifecycle.test.ts',
  'tests/integration/promote/promote-crash.test.ts',
  'tests/integration/crash-safety-install.test.ts',
  'tests/integration/crash-safety-disk-full.test.ts',
];

const rank = (spec: TestSpecification): number => {
  const i = SLOW_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
  return i < 0 ? SLOW_FIRST.length : i;
};

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: files off the list keep Vitest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
