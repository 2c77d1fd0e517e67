// The shell's pure parts: the route in the URL hash, which lab to show, and how a task view folds
// the task's update stream.
import { describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../../core/contract/wire-types.ts';
import { formatHash, parseHash, pickLab } from '../../../renderer/src/components/hash-route.ts';
import { applyTaskUpdate, MAX_LOG_LINES } from '../../../renderer/src/components/task-updates.ts';

describe('hash route', () => {
  it('round-trips the view and the lab', () => {
    expect(parseHash(formatHash({ view: 'map', lab: 'demo' }))).toEqual({ view: 'map', lab: 'demo' });
    expect(formatHash({ view: 'labs', lab: undefined })).toBe('#/labs');
    expect(parseHash('#/alerts?lab=a-b')).toEqual({ view: 'alerts', lab: 'a-b' });
  });

  it('ignores what it does not know', () => {
    expect(parseHash('')).toEqual({ view: undefined, lab: undefined });
    expect(parseHash('#/nowhere?lab=')).toEqual({ view: undefined, lab: undefined });
  });

  it('picks the wanted lab, else the default, else the first', () => {
    const labs = [{ name: 'one' }, { name: 'kartstream' }];
    expect(pickLab(labs, 'one', 'kartstream')).toBe('one');
    expect(pickLab(labs, 'gone', 'kartstream')).toBe('kartstream');
    expect(pickLab(labs, undefined, 'missing')).toBe('one');
    expect(pickLab([], 'one', 'kartstream')).toBeUndefined();
  });
});

describe('task updates', () => {
  const snapshot: TaskDetail = {
    id: 't1',
    title: 'Create lab demo',
    state: 'running',
    startedAt: '2026-01-01T00:00:00Z',
    steps: [{ title: 'Check the machine', state: 'running', startedAt: '2026-01-01T00:00:00Z' }],
    progress: 0,
    logPath: '/tmp/t1.log',
    kind: 'lab-create',
    log: ['starting'],
  };
  const now = '2026-01-01T00:01:00Z';

  it('ignores updates before the snapshot', () => {
    expect(applyTaskUpdate(undefined, { type: 'log', line: 'x' }, now)).toBeUndefined();
  });

  it('closes the running step when the next starts, and appends the log', () => {
    let task = applyTaskUpdate(undefined, { type: 'snapshot', task: snapshot }, now);
    task = applyTaskUpdate(task, { type: 'step', index: 1, title: 'Start the control plane' }, now);
    task = applyTaskUpdate(task, { type: 'progress', fraction: 0.4, message: 'etcd up' }, now);
    task = applyTaskUpdate(task, { type: 'log', line: 'etcd listening' }, now);
    expect(task?.steps.map((s) => [s.title, s.state])).toEqual([
      ['Check the machine', 'done'],
      ['Start the control plane', 'running'],
    ]);
    expect(task?.progress).toBe(0.4);
    expect(task?.progressMessage).toBe('etcd up');
    expect(task?.log).toEqual(['starting', 'etcd listening']);
    expect(snapshot.log).toEqual(['starting']);
  });

  it('keeps the log and the error when the task fails', () => {
    let task = applyTaskUpdate(undefined, { type: 'snapshot', task: snapshot }, now);
    task = applyTaskUpdate(task, { type: 'log', line: 'port 6443 in use' }, now);
    task = applyTaskUpdate(
      task,
      {
        type: 'end',
        state: 'failed',
        error: { code: 'port-in-use', message: 'port 6443 is taken', details: [], fix: 'stop the other lab' },
      },
      now,
    );
    expect(task?.state).toBe('failed');
    expect(task?.steps[0]?.state).toBe('failed');
    expect(task?.error?.fix).toBe('stop the other lab');
    expect(task?.log).toEqual(['starting', 'port 6443 in use']);
  });

  it('keeps only the newest lines of a very long log', () => {
    let task = applyTaskUpdate(undefined, { type: 'snapshot', task: { ...snapshot, log: [] } }, now);
    for (let i = 0; i < MAX_LOG_LINES + 10; i += 1)
      task = applyTaskUpdate(task, { type: 'log', line: `l${i}` }, now);
    expect(task?.log).toHaveLength(MAX_LOG_LINES);
    expect(task?.log.at(-1)).toBe(`l${MAX_LOG_LINES + 9}`);
  });
});
