// The error for a state file that cannot be written: a full disk says so and how to make room;
// anything else names the file and what to check.
import { describe, expect, it } from 'vitest';
import { isDiskFull, writeFailure } from '../../../core/home/write-failure.ts';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('writeFailure', () => {
  it('says the disk is full, naming the file and how to make room', () => {
    const cause = errno('ENOSPC', 'ENOSPC: no space left on device, write');
    const error = writeFailure('/data/labs/x/timeline.jsonl', "the lab's timeline", cause);
    expect(isDiskFull(cause)).toBe(true);
    expect(error.code).toBe('io-failed');
    expect(error.message).toBe(
      "could not write the lab's timeline (/data/labs/x/timeline.jsonl): the disk is full",
    );
    expect(error.details).toEqual(['ENOSPC: no space left on device, write']);
    expect(error.fix).toContain('df -h /data/labs/x');
    expect(error.fix).toContain('KARTSTREAM_HOME');
  });

  it('counts a quota as full, and names other failures without blaming the disk', () => {
    expect(isDiskFull(errno('EDQUOT', 'quota'))).toBe(true);
    const error = writeFailure('/data/tasks/t/log.txt', 'the log', errno('EACCES', 'permission denied'));
    expect(error.message).toBe('could not write the log (/data/tasks/t/log.txt)');
    expect(error.fix).toBe('check that /data/tasks/t exists and is writable by you');
  });
});
