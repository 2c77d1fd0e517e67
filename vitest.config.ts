import { defineConfig } from 'vitest/config';

// Two projects: unit tests are pure and fast; integration tests run against real binaries
// (the sim control plane, kubectl, Prometheus, moto) that tests/integration/setup.ts provisions.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
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
    ],
  },
});
