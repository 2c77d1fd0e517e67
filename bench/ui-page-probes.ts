// What the UI benchmarks measure inside the page. The probes run in Chromium (as source text: the
// bench is type-checked without the DOM library) and time with the page's own clock, so the
// Playwright round trips are not part of the figures.
import type { Page } from 'playwright-core';

export interface FrameReport {
  /** Time between consecutive requestAnimationFrame callbacks (ms). */
  intervals: number[];
  /** Long animation frames (>= 50 ms, Chromium's PerformanceObserver 'long-animation-frame'). */
  longFrames: {
    duration: number;
    /** From the start of the frame's rendering (rAF callbacks, then style, layout, paint) to its end. */
    renderMs: number;
    /** From the start of style and layout to the frame's end. */
    styleLayoutMs: number;
    scripts: { duration: number; where: string }[];
  }[];
  /** For each update of `map-updated-at`: Date.now() when the DOM changed minus its data-at (ms). */
  lags: number[];
  /** The page's used JS heap (MB) and its DOM nodes at the end (Chromium's Performance metrics). */
  heapMb: number;
  domNodes: number;
  /** The script entry points that took most of the long frames' time, with their total. */
  topScripts: string[];
}

const FRAMES = `async (seconds) => {
  const intervals = [], longFrames = [], lags = [];
  let last = 0, running = true;
  const tick = (t) => {
    if (last) intervals.push(t - last);
    last = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const long = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      longFrames.push({
        duration: e.duration,
        renderMs: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
        styleLayoutMs: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
        scripts: (e.scripts || []).map((s) => ({
          duration: s.duration,
          where: s.invokerType + ' ' + s.invoker + ' -> ' + (s.sourceFunctionName || '(anonymous)') + ' in ' + (s.sourceURL || '').split('/').pop(),
        })),
      });
  });
  try { long.observe({ type: 'long-animation-frame' }); } catch {}
  const stamp = document.querySelector('[data-testid="map-updated-at"]');
  const stamps = new MutationObserver(() => {
    const at = Number(stamp.getAttribute('data-at'));
    if (at > 0) lags.push(Date.now() - at);
  });
  if (stamp) stamps.observe(stamp, { attributes: true, attributeFilter: ['data-at'] });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  long.disconnect();
  stamps.disconnect();
  return { intervals, longFrames, lags };
}`;

// performance.memory is coarse and stale in Chromium; the DevTools protocol's metrics are not.
const pageMetrics = async (page: Page): Promise<{ heapMb: number; domNodes: number }> => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { heapMb: metric('JSHeapUsedSize') / 2 ** 20, domNodes: metric('Nodes') };
};

/** Frame intervals, long animation frames and map lag of `page` over `seconds`. */
export const measureFrames = async (page: Page, seconds: number): Promise<FrameReport> => {
  const raw = (await page.evaluate(`(${FRAMES})(${seconds})`)) as Pick<
    FrameReport,
    'intervals' | 'longFrames' | 'lags'
  >;
  const byWhere = new Map<string, number>();
  for (const frame of raw.longFrames)
    for (const s of frame.scripts) byWhere.set(s.where, (byWhere.get(s.where) ?? 0) + s.duration);
  const topScripts = [...byWhere]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([where, ms]) => `${where} ${ms.toFixed(0)} ms`);
  return { ...raw, ...(await pageMetrics(page)), topScripts };
};

const nextFrame = `() => new Promise((r) => requestAnimationFrame(() => r()))`;

/**
 * Scrolls the lane of `pool` to its end and times until the card of `lastNode` (the pool's last
 * node) is in the DOM and a frame went by.
 */
export const timeLaneScroll = async (page: Page, pool: string, lastNode: string): Promise<number> =>
  (await page.evaluate(`(async ({ pool, node }) => {
    const frame = ${nextFrame};
    const lane = document.querySelector('[data-testid="pool-lane-' + pool + '"]');
    const body = [...lane.querySelectorAll('*')].find(
      (el) => el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY));
    if (!body) throw new Error('pool-lane-' + pool + ' has nothing to scroll');
    const start = performance.now();
    body.scrollTop = body.scrollHeight;
    while (!document.querySelector('[data-testid="node-card-' + node + '"]')) {
      if (performance.now() - start > 10000) return -1;
      await frame();
    }
    await frame();
    return performance.now() - start;
  })(${JSON.stringify({ pool, node: lastNode })})`)) as number;

/** Clicks the head of `node`'s card and times until the details panel shows that node. */
export const timeClickToDetails = async (page: Page, node: string): Promise<number> =>
  (await page.evaluate(`(async (node) => {
    const frame = ${nextFrame};
    const head = document.querySelector('[data-testid="node-card-' + node + '"] button');
    if (!head) throw new Error('node-card-' + node + ' is not on the page');
    const shown = () => [...document.querySelectorAll('[data-testid="node-details"]')]
      .some((d) => d.textContent.includes(node));
    const start = performance.now();
    head.click();
    while (!shown()) {
      if (performance.now() - start > 10000) return -1;
      await frame();
    }
    await frame();
    return performance.now() - start;
  })(${JSON.stringify(node)})`)) as number;
