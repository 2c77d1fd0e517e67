// Words and numbers for the promote plan: the change counts and the cost per hour.
import type { CostView } from '../../../../core/contract/wire-types.ts';

const SUMMARY_ORDER = ['create', 'update', 'replace', 'delete', 'wait', 'no-change', 'unknown'];
const SUMMARY_WORDS: Record<string, string> = {
  create: 'to create',
  update: 'to update',
  replace: 'to replace',
  delete: 'to delete',
  wait: 'to wait for',
  'no-change': 'unchanged',
  unknown: 'unknown',
};

/** `3 to create · 1 to update · 0 to delete` (create/update/delete always shown, the rest when non-zero). */
export const summaryParts = (
  summary: Record<string, number>,
): { key: string; count: number; text: string }[] => {
  const keys = [...SUMMARY_ORDER, ...Object.keys(summary).filter((k) => !SUMMARY_ORDER.includes(k))];
  return keys
    .filter((key) => ['create', 'update', 'delete'].includes(key) || (summary[key] ?? 0) > 0)
    .map((key) => {
      const count = summary[key] ?? 0;
      return { key, count, text: `${count} ${SUMMARY_WORDS[key] ?? key}` };
    });
};

/** A money amount in the plan's currency, with cents (or finer below one cent). */
export const money = (amount: number, currency: string): string => {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2;
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
};

/** Hours in an average month, for the per-month line. */
export const HOURS_PER_MONTH = 730;

export const costHeadline = (cost: Pick<CostView, 'perHour' | 'currency' | 'unpriced'>): string =>
  `${money(cost.perHour, cost.currency)} per hour (about ${money(cost.perHour * HOURS_PER_MONTH, cost.currency)} per month)` +
  (cost.unpriced.length > 0
    ? `, plus ${cost.unpriced.length} unpriced item${cost.unpriced.length > 1 ? 's' : ''}`
    : '');
