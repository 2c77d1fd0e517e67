// Whole-number options of the CLI (--nodes, --port, ...): checked against explicit bounds, with a
// message that names the flag, what it got and what it takes.
import { KartStreamError } from '../errors/kartstream-error.ts';

export interface NumberBounds {
  min: number;
  max: number;
  /** What the number is, for the message, e.g. "a port number" (default: "a whole number"). */
  what?: string;
  fix?: string;
}

/** Nodes in a pool: 0 idles it; the upper bound is far above any lab a laptop or account runs. */
export const NODE_COUNT: NumberBounds = { min: 0, max: 5000 };

// The value of `flag` as a whole number within `min`..`max`, or a clear error.
export const wholeNumberOption = (flag: string, value: string, bounds: NumberBounds): number => {
  const n = Number(value);
  if (/^\d+$/.test(value.trim()) && n >= bounds.min && n <= bounds.max) return n;
  throw new KartStreamError(
    'invalid-input',
    `${flag}: got ${JSON.stringify(value)}, expected ${bounds.what ?? 'a whole number'} ${bounds.min}-${bounds.max}`,
    bounds.fix ? { fix: bounds.fix } : {},
  );
};
