import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './tests/slow-first-sequencer.ts';

// Three projects: unit tests are pure and fast; integration tests run against real binaries
// (the sim control plane, kubectl, Prometheus, moto) that tests/integration/global-setup.ts
// provisions; e2e tests drive the app in Chromium against `kartstream serve` and a sim lab.
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // which ran every file one after another. All three projects share one group (and so one
    // worker count). A lab's file mostly waits on its lab's timers and alert windows; three at a
    // time keep two cores busy after the first quarter hour (about 29 minutes in CI). Four took as
    // long, CPU-bound from the start, and failed under that load twice in four runs
    // (docs/decisions.md #19), so three it is. The longest files start first (the sequencer).
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      // Some unit tests run real bash or `kubectl kustomize`: give them room on a loaded machine.
      // They share their worker (fresh-file-state.ts puts back what a file could leak).
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          testTimeout: 30_000,
          isolate: false,
          setupFiles: ['tests/unit/fresh-file-state.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 900_000,
          // Files run side by side (each has its own KARTSTREAM_HOME, lab and free ports): most of
          // their time is spent waiting on lab timers and alert windows, not on the CPU.
          fileParallelism: true,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts', 'tests/e2e/global-setup.ts'],
          testTimeout: 360_000,
          hookTimeout: 300_000,
          // Alongside the integration files: each e2e file has its own home, lab and server.
          fileParallelism: true,
        },
      },
    ],
  },
});
