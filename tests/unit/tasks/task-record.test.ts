// A task whose record cannot be saved still runs, but its log and its events say so (with a fix)
// instead of losing the record without a word. Real files under a private KARTSTREAM_HOME.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask, taskPaths, type TaskEvent } from '../../../core/tasks/task.ts';

const previousHome = process.env.KARTSTREAM_HOME;
let home = '';

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'kartstream-task-record-'));
  process.env.KARTSTREAM_HOME = home;
});

afterAll(() => {
  process.env.KARTSTREAM_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

describe('runTask', () => {
  it('says once, in the log and the events, that its record cannot be saved', async () => {
    const id = 'unsavable-task';
    const { recordPath, logPath } = taskPaths(id);
    // A folder where the record should be: every save fails.
    mkdirSync(recordPath, { recursive: true });
    const events: TaskEvent[] = [];
    const result = await runTask(
      'Unsavable',
      async (task) => {
        task.step('one');
        task.step('two');
        return 42;
      },
      { id, onEvent: (e) => events.push(e) },
    );
    expect(result).toBe(42);
    const warnings = events.filter(
      (e) => e.type === 'log' && e.line.includes(`failed to save the task record ${recordPath}`),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: expect.stringContaining('fix: check that') });
    expect(readFileSync(logPath, 'utf8')).toContain(`failed to save the task record ${recordPath}`);
  });

  it('keeps its record when it can save it', async () => {
    await runTask('Savable', async () => 1, { id: 'savable-task' });
    const record = JSON.parse(readFileSync(taskPaths('savable-task').recordPath, 'utf8')) as {
      state: string;
    };
    expect(record.state).toBe('done');
  });
});
