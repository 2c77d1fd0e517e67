// The server's Grafana forwards: one per lab, shared by concurrent opens, kept until the lab is
// removed or the server closes. The opener here counts calls; the real port-forward client is
// exercised by its own tests (core/kube/port-forward.ts).
import { describe, expect, it } from 'vitest';
import {
  GRAFANA_TARGET,
  GrafanaForwards,
  type ForwardTarget,
} from '../../../core/server/grafana-forwards.ts';

const counting = () => {
  const opened: { kubeconfig: string; target: ForwardTarget; closed: boolean }[] = [];
  const open = async (kubeconfig: string, target: ForwardTarget) => {
    const entry = { kubeconfig, target, closed: false };
    opened.push(entry);
    await new Promise((r) => setImmediate(r));
    const localPort = 40_000 + opened.length;
    return { url: `http://127.0.0.1:${localPort}`, localPort, close: () => void (entry.closed = true) };
  };
  return { opened, open };
};

describe('Grafana forwards', () => {
  it('open one forward per lab to svc/grafana:3000 in monitoring, shared by concurrent opens', async () => {
    const { opened, open } = counting();
    const forwards = new GrafanaForwards(open);
    expect(forwards.url('a')).toBeUndefined();
    const [one, two] = await Promise.all([forwards.forward('a', '/k/a'), forwards.forward('a', '/k/a')]);
    expect(one).toBe(two);
    expect(await forwards.forward('a', '/k/a')).toBe(one);
    expect(opened).toEqual([{ kubeconfig: '/k/a', target: GRAFANA_TARGET, closed: false }]);
    expect(GRAFANA_TARGET).toEqual({ namespace: 'monitoring', service: 'grafana', port: 3000 });
    expect(forwards.url('a')).toBe(one.url);
    await forwards.forward('b', '/k/b');
    expect(opened.map((o) => o.kubeconfig)).toEqual(['/k/a', '/k/b']);
  });

  it('close a lab’s forward on removal (a later open makes a new one), and all on server close', async () => {
    const { opened, open } = counting();
    const forwards = new GrafanaForwards(open);
    await forwards.forward('a', '/k/a');
    await forwards.forward('b', '/k/b');
    await forwards.close('a');
    expect(opened.map((o) => o.closed)).toEqual([true, false]);
    expect(forwards.url('a')).toBeUndefined();
    await forwards.close('a'); // nothing left: a no-op
    const again = await forwards.forward('a', '/k/a');
    expect(opened).toHaveLength(3);
    expect(forwards.url('a')).toBe(again.url);
    await forwards.closeAll();
    expect(opened.map((o) => o.closed)).toEqual([true, true, true]);
  });

  it('close a forward still opening: it is closed once open, and not kept', async () => {
    const { opened, open } = counting();
    const forwards = new GrafanaForwards(open);
    const opening = forwards.forward('a', '/k/a');
    await forwards.close('a');
    await opening;
    expect(opened.map((o) => o.closed)).toEqual([true]);
    expect(forwards.url('a')).toBeUndefined();
    await forwards.forward('a', '/k/a');
    expect(opened.map((o) => o.closed)).toEqual([true, false]);
  });

  it('forget a forward that failed to open, so the next click tries again', async () => {
    let calls = 0;
    const forwards = new GrafanaForwards(async () => {
      calls += 1;
      if (calls === 1) throw new Error('grafana pod not ready');
      return { url: 'http://127.0.0.1:40001', localPort: 40_001, close: () => undefined };
    });
    await expect(forwards.forward('a', '/k/a')).rejects.toThrow('grafana pod not ready');
    expect(forwards.url('a')).toBeUndefined();
    expect((await forwards.forward('a', '/k/a')).url).toBe('http://127.0.0.1:40001');
  });
});
