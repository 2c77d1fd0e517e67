// The alerts charts' time span: a full window for an older lab, from the lab's start for a
// younger one (at least a minute), and the whole minutes to ask Prometheus for.
import { describe, expect, it } from 'vitest';
import {
  chartWindow,
  MIN_SPAN_SECONDS,
  windowWords,
} from '../../../renderer/src/views/alerts/chart-window.ts';

const now = Date.parse('2026-12-04T12:00:00Z');
const nowS = now / 1000;
const agoIso = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('chartWindow', () => {
  it('spans the full window for a lab older than it', () => {
    expect(chartWindow(now, agoIso(3600), 15)).toEqual({
      from: nowS - 900,
      to: nowS,
      minutes: 15,
      sinceLabStart: false,
    });
  });

  it('starts at the lab start for a lab younger than the window', () => {
    expect(chartWindow(now, agoIso(240), 15)).toEqual({
      from: nowS - 240,
      to: nowS,
      minutes: 4,
      sinceLabStart: true,
    });
    // Part of a minute asks for the whole minute, so the first samples are in.
    expect(chartWindow(now, agoIso(61), 15).minutes).toBe(2);
  });

  it('spans at least a minute for a lab seconds old, or with a clock ahead', () => {
    for (const age of [0, 5, -30]) {
      const window = chartWindow(now, agoIso(age), 15);
      expect(window).toEqual({ from: nowS - MIN_SPAN_SECONDS, to: nowS, minutes: 1, sinceLabStart: true });
    }
  });

  it('falls back to the full window when the start is unknown or unreadable', () => {
    for (const createdAt of [undefined, '', 'yesterday']) {
      expect(chartWindow(now, createdAt, 15)).toMatchObject({
        from: nowS - 900,
        minutes: 15,
        sinceLabStart: false,
      });
    }
  });

  it('is exactly the full window for a lab exactly as old as it', () => {
    expect(chartWindow(now, agoIso(900), 15)).toMatchObject({
      from: nowS - 900,
      minutes: 15,
      sinceLabStart: false,
    });
  });

  it('says what it shows', () => {
    expect(windowWords(chartWindow(now, agoIso(60), 15), 15)).toBe('since the lab started');
    expect(windowWords(chartWindow(now, undefined, 15), 15)).toBe('the last 15 minutes');
  });
});
