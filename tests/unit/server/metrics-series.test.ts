// Chart series are named from their labels: the one label's value, else `key=value` pairs, else
// the metric's name.
import { describe, expect, it } from 'vitest';
import { seriesName } from '../../../core/server/services/metrics-service.ts';

describe('series names', () => {
  it('uses the value of a single label', () => {
    expect(seriesName({ deployment: 'cartservice' })).toBe('cartservice');
  });
  it('joins several labels as key=value pairs', () => {
    expect(seriesName({ pool: 'backend', zone: 'a' })).toBe('pool=backend, zone=a');
  });
  it('falls back to the metric name, ignoring it as a label', () => {
    expect(seriesName({ __name__: 'up' })).toBe('up');
    expect(seriesName({ __name__: 'up', job: 'apiserver' })).toBe('apiserver');
    expect(seriesName({})).toBe('{}');
  });
});
