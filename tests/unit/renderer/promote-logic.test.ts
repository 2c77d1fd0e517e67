// The promote view's words and numbers: the change summary, money, the cost line, and the AWS
// arguments (blank means the SDK default).
import { describe, expect, it } from 'vitest';
import { awsArgs } from '../../../renderer/src/views/promote/aws-settings.ts';
import { costHeadline, money, summaryParts } from '../../../renderer/src/views/promote/plan-format.ts';

describe('summaryParts', () => {
  it('always shows create, update and delete, and the other actions only when they count', () => {
    const parts = summaryParts({
      create: 12,
      update: 0,
      replace: 0,
      delete: 1,
      wait: 2,
      'no-change': 0,
      unknown: 0,
    });
    expect(parts.map((p) => p.text)).toEqual(['12 to create', '0 to update', '1 to delete', '2 to wait for']);
  });

  it('keeps an action it does not know, by its name', () => {
    expect(summaryParts({ create: 1, import: 3 }).map((p) => p.text)).toEqual([
      '1 to create',
      '0 to update',
      '0 to delete',
      '3 import',
    ]);
  });
});

describe('cost', () => {
  it('formats money with cents, or finer below a cent', () => {
    expect(money(0.7312, 'USD')).toBe('$0.73');
    expect(money(0.0042, 'USD')).toBe('$0.0042');
    expect(money(0, 'USD')).toBe('$0.00');
    expect(money(1.5, 'not-a-currency')).toBe('1.50 not-a-currency');
  });

  it('gives the hourly and monthly cost and counts what is not priced', () => {
    expect(costHeadline({ perHour: 1, currency: 'USD', unpriced: [] })).toBe(
      '$1.00 per hour (about $730.00 per month)',
    );
    expect(costHeadline({ perHour: 0.5, currency: 'USD', unpriced: ['a', 'b'] })).toBe(
      '$0.50 per hour (about $365.00 per month), plus 2 unpriced items',
    );
  });
});

describe('awsArgs', () => {
  it('leaves out blank fields and trims the others', () => {
    expect(awsArgs({ region: '', profile: '  ' })).toEqual({});
    expect(awsArgs({ region: ' eu-west-1 ', profile: 'lab' })).toEqual({
      region: 'eu-west-1',
      profile: 'lab',
    });
  });
});
