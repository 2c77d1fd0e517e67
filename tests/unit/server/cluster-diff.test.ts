// The map's deltas: only what changed goes out, deleted objects are named, and a Pending pod's
// reasons are re-explained when a node's labels or taints change (no pod event needed).
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ClusterDiff, deltaSize } from '../../../core/server/cluster-diff.ts';
import { FeedFanout } from '../../../core/server/feed-fanout.ts';

const node = (name: string, pool: string, taint?: string): V1Node => ({
  metadata: { name, labels: { pool } },
  spec: taint ? { taints: [{ key: 'pool', value: taint, effect: 'NoSchedule' }] } : {},
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

const pod = (name: string, nodeName?: string): V1Pod => ({
  metadata: { name, namespace: 'shop', labels: { app: name.split('-')[0] ?? name } },
  spec: { containers: [], nodeSelector: { pool: 'backend' }, ...(nodeName ? { nodeName } : {}) },
  status: { phase: nodeName ? 'Running' : 'Pending' },
});

describe('ClusterDiff', () => {
  it('sends a changed object once, and nothing when it did not change', () => {
    const diff = new ClusterDiff('shop');
    const n = node('n1', 'backend');
    diff.node('n1', n);
    diff.pod(pod('cart-1', 'n1'), false);
    const first = diff.delta([n]);
    expect(first.nodes.map((v) => v.name)).toEqual(['n1']);
    expect(first.pods.map((v) => [v.name, v.pool])).toEqual([['cart-1', 'backend']]);
    diff.pod(pod('cart-1', 'n1'), false);
    expect(deltaSize(diff.delta([n]))).toBe(0);
    diff.pod(pod('cart-1', 'n1'), true);
    diff.node('n1', null);
    const gone = diff.delta([]);
    expect(gone.deletedPods).toEqual(['shop/cart-1']);
    expect(gone.deletedNodes).toEqual(['n1']);
    expect(diff.reset('lab', []).pods).toEqual([]);
  });

  it('re-explains a Pending pod when a node of its pool gains or loses a taint', () => {
    const diff = new ClusterDiff('shop');
    const tainted = node('n1', 'backend', 'backend');
    diff.node('n1', tainted);
    diff.pod(pod('cart-1'), false);
    const first = diff.delta([tainted]);
    expect(first.pods[0]?.unschedulable?.join(' ')).toMatch(/taint/);
    const clean = node('n1', 'backend');
    diff.node('n1', clean);
    const second = diff.delta([clean]);
    expect(second.pods.map((p) => p.name)).toEqual(['cart-1']);
    expect(second.pods[0]?.unschedulable?.join(' ') ?? '').not.toMatch(/taint/);
  });

  it('ignores Deployments outside the shop namespace', () => {
    const diff = new ClusterDiff('shop');
    expect(diff.deployment({ metadata: { name: 'x', namespace: 'kube-system' } }, false)).toBe(false);
    expect(diff.deployment({ metadata: { name: 'cart', namespace: 'shop' } }, false)).toBe(true);
    expect(diff.delta([]).workloads.map((w) => w.key)).toEqual(['shop/cart']);
  });
});

describe('FeedFanout', () => {
  it('gives a subscriber that fell far behind the whole view once instead of the backlog', async () => {
    const fanout = new FeedFanout<string>(() => ['whole view']);
    const abort = new AbortController();
    const iterable = fanout.stream(
      abort.signal,
      () => ['start'],
      () => undefined,
    );
    const stream = iterable[Symbol.asyncIterator]();
    expect((await stream.next()).value).toBe('start');
    for (let i = 0; i < 200; i += 1) fanout.send(`change ${i}`);
    const received: string[] = [];
    fanout.closeAll();
    for (let r = await stream.next(); !r.done; r = await stream.next()) received.push(r.value);
    expect(received.length).toBeLessThan(200);
    expect(received).toContain('whole view');
    expect(received.at(-1)).toBe('change 199');
    expect(fanout.size).toBe(0);
  });
});
