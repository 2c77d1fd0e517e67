// zone-outage on one sim lab, and the zones it needs: every node carries its zone, and each pool
// with two or more nodes spans both zones, seen by kubectl as an independent client.
import { describe, expect, it, vi } from 'vitest';
import { labContext, requireLabRecord } from '../../../core/lab/lab-record.ts';
import { waitFor } from '../../helpers/wait.ts';
import { cli, kubectlJson } from '../helpers/lab-env.ts';
import { describeScenarioRuns, useScenarioLab } from '../helpers/scenario-suite.ts';

// zone-outage evicts and reschedules half the shop, and waits for it to serve again: about
// 90 s alone, three times that with other labs on the same 2 cores.
vi.setConfig({ testTimeout: 360_000 });

type NodeList = { items: { metadata: { name: string; labels: Record<string, string> } }[] };

describe('zone scenarios on a sim lab', () => {
  const lab = useScenarioLab('scn-zones');

  it('labels every node with its zone and region, and spreads each pool of 2+ nodes over both zones', async () => {
    const { kubeconfigPath } = await labContext(await requireLabRecord(lab.name));
    const nodes = (await kubectlJson<NodeList>(kubeconfigPath, ['get', 'nodes'])).items;
    expect(nodes.length).toBe(6);
    const zonesByPool = new Map<string, Set<string>>();
    const countByPool = new Map<string, number>();
    for (const { metadata } of nodes) {
      expect(metadata.labels['topology.kubernetes.io/region'], metadata.name).toBe('eu-west-1');
      expect(metadata.labels['topology.kubernetes.io/zone'], metadata.name).toMatch(/^eu-west-1[ab]$/);
      const pool = metadata.labels.pool ?? '';
      zonesByPool.set(pool, (zonesByPool.get(pool) ?? new Set()).add(metadata.labels['topology.kubernetes.io/zone'] ?? ''));
      countByPool.set(pool, (countByPool.get(pool) ?? 0) + 1);
    }
    for (const [pool, count] of countByPool)
      if (count >= 2) expect([...(zonesByPool.get(pool) ?? [])].sort(), pool).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('keeps a scaled pool spread over the zones, and names the zones when asked to fail one it does not have', async () => {
    const { kubeconfigPath } = await labContext(await requireLabRecord(lab.name));
    const zones = async (selector: string) =>
      (await kubectlJson<NodeList>(kubeconfigPath, ['get', 'nodes', '-l', selector])).items
        .map((n) => `${n.metadata.name}:${n.metadata.labels['topology.kubernetes.io/zone']}`)
        .sort();
    expect((await cli(['pool', 'scale', 'database', '--nodes', '2', '--name', lab.name])).exitCode).toBe(0);
    expect(await zones('pool=database')).toEqual(['database-1:eu-west-1a', 'database-2:eu-west-1b']);
    expect((await cli(['pool', 'scale', 'database', '--nodes', '1', '--name', lab.name])).exitCode).toBe(0);
    expect(await zones('pool=database')).toEqual(['database-1:eu-west-1a']);

    const unknown = await cli(['zone', 'fail', 'c', '--name', lab.name]);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toMatch(/no node of lab scn-zones is in zone c/);
    expect(unknown.stderr).toMatch(/a, b/);
    await waitFor('the lab back at its baseline', lab.baselineGaps, (g) =>
      g.nodes.length + g.workloads.length + g.pods.length === 0,
    120_000);
  });

  describeScenarioRuns(lab, ['zone-outage']);
});
