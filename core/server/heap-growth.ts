// How far V8 lets the server's heap grow past what it keeps. By default V8 may grow the old space
// by up to 4x of what survived the last full GC before it collects again: after the map's first
// 10,000-pod snapshot and a few minutes of churn, the server sat at 400 MB of RSS for ~140 MB of
// live objects (bench/README.md, ui-scale). A fixed growth of 20% bounds that headroom at any lab
// size, for more frequent full collections; unlike an old-space cap, a bigger lab cannot run the
// heap out (docs/decisions.md #20).
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 20;

/**
 * Set once at the server's start. V8 reads this flag when it sizes the heap after each full
 * collection, so setting it in a running process takes effect from the next one.
 */
export const limitHeapGrowth = (): void => {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
};
