// The pure parts of reading a Deployment's logs: `timestamps=true` lines split into time and
// text, pods merged in time order, and a container followed again repeating none of its lines.
import { describe, expect, it } from 'vitest';
import { mergeByTime, parseTimestamped, seenLines } from '../../../core/kube/deployment-logs.ts';

describe('parseTimestamped', () => {
  it("splits each line into the runtime's time and the text, keeping blank lines", () => {
    const text = '2026-12-05T10:00:00.123000000Z starting server on :8080\n2026-12-05T10:00:00.123000000Z \n';
    expect(parseTimestamped('frontend-a', 'server', text)).toEqual([
      {
        pod: 'frontend-a',
        container: 'server',
        at: '2026-12-05T10:00:00.123000000Z',
        text: 'starting server on :8080',
      },
      { pod: 'frontend-a', container: 'server', at: '2026-12-05T10:00:00.123000000Z', text: '' },
    ]);
  });

  it('keeps a line without a time whole, with no time', () => {
    expect(parseTimestamped('p', 'c', 'no time here\n')).toEqual([
      { pod: 'p', container: 'c', at: '', text: 'no time here' },
    ]);
  });
});

describe('mergeByTime', () => {
  it("interleaves pods by time and keeps one container's order for equal times", () => {
    const line = (pod: string, at: string, text: string) => ({ pod, container: 'server', at, text });
    const merged = mergeByTime([
      line('a', '2026-12-05T10:00:01Z', 'a1'),
      line('a', '2026-12-05T10:00:01Z', 'a2'),
      line('b', '2026-12-05T10:00:00Z', 'b1'),
    ]);
    expect(merged.map((l) => l.text)).toEqual(['b1', 'a1', 'a2']);
  });
});

describe('seenLines', () => {
  const line = (at: string, text: string) => ({ pod: 'p', container: 'server', at, text });

  it('passes what a first stream carries, twice-printed lines included', () => {
    const first = seenLines()();
    expect(first([line('t1', 'x'), line('t1', ''), line('t1', '')]).length).toBe(3);
  });

  it('drops what an earlier stream showed when the container is followed again', () => {
    const seen = seenLines();
    seen()([line('t1', 'start'), line('t2', 'crash'), line('t2', '')]);
    const again = seen();
    expect(
      again([line('t1', 'start'), line('t2', 'crash'), line('t2', ''), line('t2', ''), line('t3', 'start')]),
    ).toEqual([line('t2', ''), line('t3', 'start')]);
  });
});
