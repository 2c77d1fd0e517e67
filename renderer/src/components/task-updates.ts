// Folds the `tasks.watch` stream into the task as the view shows it. Pure, so it is unit-tested.
import type { TaskDetail, TaskState, TaskUpdate } from '../../../core/contract/wire-types.ts';

/** The log view keeps the newest lines; the full log stays on disk at `logPath`. */
export const MAX_LOG_LINES = 5000;

const closeSteps = (task: TaskDetail, state: TaskState, at: string): TaskDetail['steps'] =>
  task.steps.map((step) => (step.state === 'running' ? { ...step, state, endedAt: at } : step));

export const applyTaskUpdate = (
  task: TaskDetail | undefined,
  update: TaskUpdate,
  now: string,
): TaskDetail | undefined => {
  if (update.type === 'snapshot') return update.task;
  // Everything else changes a task we already hold; the server always sends the snapshot first.
  if (!task) return task;
  switch (update.type) {
    case 'step': {
      const steps = closeSteps(task, 'done', now);
      steps[update.index] = { title: update.title, state: 'running', startedAt: now };
      return {
        ...task,
        steps: Array.from(steps, (s, i) => s ?? { title: `step ${i + 1}`, state: 'done', startedAt: now }),
      };
    }
    case 'progress':
      return { ...task, progress: update.fraction, progressMessage: update.message ?? task.progressMessage };
    case 'log': {
      const log = task.log.length >= MAX_LOG_LINES ? task.log.slice(-(MAX_LOG_LINES - 1)) : task.log.slice();
      log.push(update.line);
      return { ...task, log };
    }
    case 'end':
      return {
        ...task,
        state: update.state,
        endedAt: now,
        steps: closeSteps(task, update.state, now),
        progress: update.state === 'done' ? 1 : task.progress,
        ...(update.error ? { error: update.error } : {}),
      };
  }
};
