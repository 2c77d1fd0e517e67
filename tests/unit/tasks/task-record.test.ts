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
      (e) =>
        e.type === 'log' && e.line.includes(`could not write the record of task "Unsavable" (${recordPath})`),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: expect.stringContaining('fix: check that') });
    expect(readFileSync(logPath, 'utf8')).toContain(
      `could not write the record of task "Unsavable" (${recordPath})`,
    );
  });

  it('goes on when its log cannot be written mid-task, saying so once; fails clearly when it cannot start one', async () => {
    const id = 'unloggable-task';
    const { logPath } = taskPaths(id);
    const events: TaskEvent[] = [];
    const result = await runTask(
      'Unloggable',
      async (task) => {
        // The log turns into a folder: every later write fails (as on a disk that filled up).
        rmSync(logPath);
        mkdirSync(logPath);
        task.log('one');
        task.step('two');
        return 7;
      },
      { id, onEvent: (e) => events.push(e) },
    );
    expect(result).toBe(7);
    const warnings = events.filter(
      (e) => e.type === 'log' && e.line.includes(`could not write the log of task`),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: expect.stringContaining(`(${logPath})`) });

    // A log that cannot be started: the task does not run, and its error names the file.
    let ran = false;
    const error = await runTask('Unloggable', async () => (ran = true), { id }).catch(
      (e: unknown) => e as Error,
    );
    expect(ran).toBe(false);
    expect((error as Error).message).toBe(`could not write the log of task "Unloggable" (${logPath})`);
  });

  it('keeps its record when it can save it', async () => {
    await runTask('Savable', async () => 1, { id: 'savable-task' });
    const record = JSON.parse(readFileSync(taskPaths('savable-task').recordPath, 'utf8')) as {
      state: string;
    };
    expect(record.state).toBe('done');
  });
});
