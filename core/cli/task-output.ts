// How the CLI shows a task and lets a person stop it.
import type { TaskEvent } from '../tasks/task.ts';
import type { Output } from './output.ts';

// Renders task events as lines a person can follow; every log line only with --verbose.
export const taskEventPrinter = (out: Output, verbose = false) => {
  let lastProgress = '';
  return (event: TaskEvent): void => {
    if (event.type === 'step') out.info(`[${event.index + 1}] ${event.title}`);
    else if (event.type === 'progress' && event.message && event.message !== lastProgress) {
      lastProgress = event.message;
      out.info(`    ${Math.round(event.fraction * 100)}% ${event.message}`);
    } else if (event.type === 'log' && verbose) out.info(`    ${event.line}`);
  };
};

// A first Ctrl-C cancels the work (which then cleans up and keeps its log); a second one quits
// at once. `on`, not `once`: execa's exit hook re-raises a signal that nobody else handles.
export const cancelOnInterrupt = async <T>(
  out: Output,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    out.info('canceling (press Ctrl-C again to quit at once)');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
};
