// The debrief's customer impact from Prometheus' answers: failed checkouts, minutes above the
// SLO objective (read from manifests/monitoring/slo.yaml), and "no traffic data" kept apart from 0.
import { describe, expect, it } from 'vitest';
import { checkoutObjective, computeImpact } from '../../../core/monitoring/customer-impact.ts';
import { impactLines } from '../../../core/scenarios/run-report.ts';

const window = { from: new Date('2026-12-04T12:00:00Z'), to: new Date('2026-12-04T12:05:00Z') };
const value = (v: string) => [{ metric: {}, value: [1_780_000_000, v] as [number, string] }];
// The error ratio every 15 s: 8 samples, 4 above 0.1% (one minute), one NaN (no checkouts then).
const ratio = ['0', '0', '0.2', '0.5', '0.25', '0.0015', '0.0005', 'NaN', '0'].map(
  (v, i): [number, string] => [1_780_000_000 + i * 15, v],
);

describe('the customer impact of a run', () => {
  it('reads the checkout objective from slo.yaml, the single source of the SLO', () => {
    expect(checkoutObjective()).toBe(0.999);
  });

  it('counts failed checkouts and the minutes the error ratio was above 1 − objective', () => {
    const impact = computeImpact(
      window,
      {
        present: value('3'),
        checkouts: value('41.9'),
        failedCheckouts: value('7'),
        errorRatio: [{ metric: {}, values: ratio }],
      },
      0.999,
    );
    expect(impact).toMatchObject({
      available: true,
      checkouts: 42,
      failedCheckouts: 7,
      minutesAboveObjective: 1,
      minutesJudged: 2,
      objective: 0.999,
    });
    expect(impactLines(impact)).toEqual(
      expect.arrayContaining([
        '| failed checkouts | 7 of 42 (16.67%) |',
        '| minutes with the checkout error ratio above the objective (0.1% errors, SLO 99.9%) | 1 of 2 min |',
      ]),
    );
  });

  it('says a run too short for a one-minute ratio had too few checkouts to judge, not 0 minutes', () => {
    const short = computeImpact(
      window,
      { present: value('1'), checkouts: value('1'), failedCheckouts: value('1'), errorRatio: [] },
      0.999,
    );
    expect(impactLines(short)).toContain(
      '| minutes with the checkout error ratio above the objective (0.1% errors, SLO 99.9%) | too few checkouts to judge |',
    );
  });

  it('says "no traffic data" when Prometheus has no checkout series, or the lab no monitoring', () => {
    const none = computeImpact(
      window,
      { present: [], checkouts: value('0'), failedCheckouts: value('0'), errorRatio: [] },
      0.999,
    );
    expect(none).toEqual({ available: false, reason: expect.stringMatching(/^no traffic data: /) });
    expect(impactLines(none)[0]).toMatch(
      /^No traffic data: the lab’s Prometheus has no Istio request metrics/,
    );
    expect(
      impactLines({ available: false, reason: 'no traffic data: the lab runs without monitoring' }),
    ).toEqual(['No traffic data: the lab runs without monitoring.']);
  });
});
