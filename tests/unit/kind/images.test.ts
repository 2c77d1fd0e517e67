// Image preload: which images the kind overlay names (rendered by the real kubectl kustomize),
// and the progress read from the engine's pull events (hand-written in the documented format).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inParallel } from '../../../core/backends/kind/images.ts';
import { PullProgress, type PullEvent } from '../../../core/backends/kind/pull-progress.ts';
import { imagesOf, overlayDir, renderKustomization } from '../../../core/stack/render-overlay.ts';
import { FIXTURES } from './helpers.ts';

const events = (file: string): PullEvent[] =>
  readFileSync(join(FIXTURES, 'docker', 'pull-events', file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PullEvent);

describe('the images the kind overlay names', () => {
  it('are the shop’s eleven, the loadgenerator and its busybox frontend check, pinned (never :latest), each once', async () => {
    const images = imagesOf(await renderKustomization(process.env.KUBECTL ?? 'kubectl', overlayDir('kind')));
    expect(images).toHaveLength(13);
    expect(images.filter((i) => /\/microservices-demo\/loadgenerator:v0\.10\.6$/.test(i))).toHaveLength(1);
    expect(images.some((i) => i.startsWith('busybox:'))).toBe(true);
    expect(images.filter((i) => /\/microservices-demo\/frontend:v0\.10\.6$/.test(i))).toHaveLength(1);
    expect(images.some((i) => i.startsWith('redis:'))).toBe(true);
    for (const image of images) expect(image).not.toMatch(/:latest$|^[^:]+$/);
  });
});

describe('pull progress from the engine’s events', () => {
  it('follows the bytes of each layer and counts a finished image whole', () => {
    const progress = new PullProgress(['redis:7.4-alpine', 'busybox:1.37']);
    const stream = events('redis-7.4-alpine.jsonl');
    const fractions: number[] = [];
    for (const event of stream) {
      expect(progress.update('redis:7.4-alpine', event)).toBeUndefined();
      fractions.push(progress.fraction());
    }
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b)); // never goes back
    expect(progress.summary()).toBe('0 of 2 images there, 11 MiB of 11 MiB downloaded');
    progress.finish('redis:7.4-alpine');
    expect(progress.fraction()).toBe(0.5);
    progress.finish('busybox:1.37');
    expect(progress.fraction()).toBe(1);
  });

  it('part way through the first of two layers, progress is that layer’s share over two', () => {
    const progress = new PullProgress(['redis:7.4-alpine']);
    for (const event of events('redis-7.4-alpine.jsonl').slice(0, 5))
      progress.update('redis:7.4-alpine', event);
    expect(progress.fraction()).toBeCloseTo(1048576 / 3642247 / 2, 5);
  });

  it('an error event is reported with the registry’s message', () => {
    const progress = new PullProgress(['frontend']);
    const [first, failure] = events('unauthorized.jsonl');
    expect(progress.update('frontend', first as PullEvent)).toBeUndefined();
    expect(progress.update('frontend', failure as PullEvent)).toMatch(/^manifest unknown/);
  });
});

describe('parallel pulls', () => {
  it('run at most `limit` at a time and all of them run', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await inParallel([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      // Work that yields to the event loop (no time involved): the others get their turn.
      await new Promise((r) => setImmediate(r));
      running -= 1;
      done.push(n);
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
