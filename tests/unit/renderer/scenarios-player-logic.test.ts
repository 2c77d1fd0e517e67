// The player's small rules: the countdown of a step's time box, and why a scenario cannot start
// on a lab.
import { describe, expect, it } from 'vitest';
import { cannotStartReason } from '../../../renderer/src/views/scenarios/scenario-fit.ts';
import {
  formatDuration,
  formatTimeLeft,
  secondsLeft,
} from '../../../renderer/src/views/scenarios/time-left.ts';

describe('time left', () => {
  const deadline = '2026-03-01T10:05:00.000Z';
  const at = (iso: string) => Date.parse(iso);

  it('counts whole seconds up to the deadline, rounding up, and stops at 0', () => {
    expect(secondsLeft(deadline, at('2026-03-01T10:00:00.000Z'))).toBe(300);
    expect(secondsLeft(deadline, at('2026-03-01T10:04:59.200Z'))).toBe(1);
    expect(secondsLeft(deadline, at('2026-03-01T10:06:00.000Z'))).toBe(0);
    expect(secondsLeft(undefined, 0)).toBeUndefined();
    expect(secondsLeft('not a time', 0)).toBeUndefined();
  });

  it('formats m:ss and h:mm:ss', () => {
    expect([0, 9, 65, 300, 3599, 3600, 3723].map(formatTimeLeft)).toEqual([
      '0:00',
      '0:09',
      '1:05',
      '5:00',
      '59:59',
      '1:00:00',
      '1:02:03',
    ]);
  });

  it('says a time box in words', () => {
    expect([45, 60, 90, 300].map(formatDuration)).toEqual(['45 s', '1 min', '1:30 min', '5 min']);
  });
});

describe('cannotStartReason', () => {
  const lab = { name: 'lab1', backend: 'sim' as const, state: 'ready' as const };
  const plain = { backends: ['sim', 'kind'], requires: [] };
  const monitored = { backends: ['sim', 'kind'], requires: ['monitoring'] };

  it('lets a fitting scenario start', () => {
    expect(cannotStartReason(plain, lab)).toBeUndefined();
    expect(
      cannotStartReason(monitored, { ...lab, monitoring: { prometheusUrl: 'p', alertmanagerUrl: 'a' } }),
    ).toBeUndefined();
  });

  it('names the backend mismatch, the missing monitoring, the lab state and a running run', () => {
    expect(cannotStartReason({ backends: ['kind'], requires: [] }, lab)).toBe(
      'runs on kind; lab lab1 runs on sim',
    );
    expect(cannotStartReason(monitored, lab)).toMatch(/^needs monitoring; lab lab1 runs without it/);
    expect(cannotStartReason(plain, { ...lab, state: 'creating' })).toBe('lab lab1 is creating, not ready');
    expect(cannotStartReason(plain, lab, { state: 'running', title: 'A backend node dies' })).toMatch(
      /^"A backend node dies" is running on this lab/,
    );
    expect(cannotStartReason(plain, lab, { state: 'passed', title: 'x' })).toBeUndefined();
    expect(cannotStartReason(plain, undefined)).toBe('no lab is selected');
  });
});
