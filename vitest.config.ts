import { defineConfig } from 'vitest/config';

// Three projects: unit tests are pure and fast; integration tests run against real binaries
// (the sim control plane, kubectl, Prometheus, moto) that tests/integration/global-setup.ts
// provisions; e2e tests drive the app in Chromium against `kartstream serve` and a sim lab.
export default defineConfig({
  test: {
    projects: [
      // Some unit tests run real bash or `kubectl kustomize`: give them room on a loaded machine.
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts', 'tests/e2e/global-setup.ts'],
          testTimeout: 360_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // After unit and integration: never two sim labs of the test run at once.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
