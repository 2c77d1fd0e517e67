// Vitest globalSetup for the integration tests: makes sure the sim binaries (kwok, kwokctl, the
// Kubernetes control plane, kubectl, etcd) are in the cache: release downloads, or Go builds where
// the release hosts cannot be reached. The first run on a fresh machine installs them; later runs
// find them and do nothing. When neither works this fails loudly with what is missing and how to
// get it; it never skips.
import { describeError } from '../../core/errors/kartstream-error.ts';
import { installSimBinaries } from '../../core/backends/sim/install.ts';
import { runTask } from '../../core/tasks/task.ts';
import { taskEventPrinter } from '../../core/cli/task-output.ts';

const stderr = {
  print: (text: string) => process.stderr.write(`[sim install] ${text}\n`),
  info: (text: string) => process.stderr.write(`[sim install] ${text}\n`),
};

// The integration and e2e projects both name this file, and Vitest runs a project's global setup
// per project: one install per test run, however many projects ask for it.
const shared = globalThis as { kartstreamSimInstall?: Promise<void> };

export default function setup(): Promise<void> {
  shared.kartstreamSimInstall ??= install();
  return shared.kartstreamSimInstall;
}

async function install(): Promise<void> {
  const started = Date.now();
  try {
    const { built, downloaded } = await runTask('install the sim binaries (test setup)', installSimBinaries, {
      onEvent: taskEventPrinter(stderr),
    });
    const took = `${Math.round((Date.now() - started) / 1000)} s`;
    if (downloaded.length > 0) stderr.info(`downloaded ${downloaded.join(', ')} (${took} in all)`);
    if (built.length > 0) stderr.info(`built ${built.join(', ')} (${took} in all)`);
  } catch (error) {
    throw new Error(
      `the integration tests need the sim binaries, and they could not be provisioned:\n${describeError(error)}`,
      { cause: error },
    );
  }
}
