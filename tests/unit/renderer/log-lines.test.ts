// The Logs panel keeps every pod's lines in time order, capped; times and pod tones as shown.
import { describe, expect, it } from 'vitest';
import type { LogLineView } from '../../../core/contract/log-wire-types.ts';
import { addLogLines, lineTime, podTone } from '../../../renderer/src/views/logs/log-lines.ts';

const line = (pod: string, at: string, text: string): LogLineView => ({ pod, container: 'server', at, text });

describe('the lines a Logs panel keeps', () => {
  it('appends a newer batch as it is', () => {
    const kept = [line('a', '2026-12-05T10:00:00.000000000Z', 'one')];
    const added = addLogLines(kept, [line('b', '2026-12-05T10:00:01.000000000Z', 'two')]);
    expect(added.map((l) => l.text)).toEqual(['one', 'two']);
  });

  it("merges another pod's older lines in time order, keeping each pod's own order", () => {
    const kept = [
      line('a', '2026-12-05T10:00:00.000000000Z', 'a1'),
      line('a', '2026-12-05T10:00:02.000000000Z', 'a2'),
    ];
    const added = addLogLines(kept, [
      line('b', '2026-12-05T10:00:01.000000000Z', 'b1'),
      line('b', '2026-12-05T10:00:02.000000000Z', 'b2'),
    ]);
    expect(added.map((l) => l.text)).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('drops the oldest lines past the cap', () => {
    const kept = [line('a', '2026-12-05T10:00:00Z', 'old'), line('a', '2026-12-05T10:00:01Z', 'mid')];
    expect(addLogLines(kept, [line('a', '2026-12-05T10:00:02Z', 'new')], 2).map((l) => l.text)).toEqual([
      'mid',
      'new',
    ]);
  });

  it('shows a time with milliseconds, and nothing for a line without one', () => {
    expect(lineTime('2026-12-05T10:00:00.123000000Z')).toMatch(/^\d\d:\d\d:00\.123$/);
    expect(lineTime('')).toBe('');
  });

  it('gives a pod the same tone every time', () => {
    expect(podTone('frontend-abc')).toBe(podTone('frontend-abc'));
    expect(podTone('frontend-abc')).toBeGreaterThanOrEqual(0);
    expect(podTone('frontend-abc')).toBeLessThan(6);
  });
});
