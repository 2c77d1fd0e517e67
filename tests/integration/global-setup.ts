// Vitest globalSetup for the integration tests: makes sure the sim binaries (kwok, kwokctl, the
// Kubernetes control plane, kubectl, etcd) are in the cache, building the missing ones with Go.
// The first run on a fresh machine builds them (minutes); later runs find them and do nothing.
// Without Go this fails loudly with what is missing and how to get it; it never skips.
import { describeError } from '../../core/errors/kartstream-error.ts';
import { installSimBinaries } from '../../core/backends/sim/install.ts';
import { runTask } from '../../core/tasks/task.ts';
import { taskEventPrinter } from '../../core/cli/task-output.ts';

const stderr = {
  print: (text: string) => process.stderr.write(`[sim install] ${text}\n`),
  info: (text: string) => process.stderr.write(`[sim install] ${text}\n`),
};

export default async function setup(): Promise<void> {
  const started = Date.now();
  try {
    const { built } = await runTask('install the sim binaries (test setup)', installSimBinaries, {
      onEvent: taskEventPrinter(stderr),
    });
    if (built.length > 0)
      stderr.info(`built ${built.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (error) {
    throw new Error(
      `the integration tests need the sim binaries, and they could not be provisioned:\n${describeError(error)}`,
      { cause: error },
    );
  }
}
