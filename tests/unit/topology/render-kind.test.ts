import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadTopology, renderKindConfig } from '../../../core/topology/index.ts';

describe('renderKindConfig', () => {
  it('renders one control plane and one worker per pool node, labelled and tainted by pool', async () => {
    const config = renderKindConfig(await loadTopology(), { name: 'lab' });
    expect(config).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: 'lab' });
    expect(config.nodes.filter((n) => n.role === 'control-plane')).toHaveLength(1);
    const workers = config.nodes.filter((n) => n.role === 'worker');
    expect(workers.map((w) => w.labels?.pool)).toEqual([
      'frontend',
      'frontend',
      'backend',
      'backend',
      'database',
      'monitoring',
    ]);
    for (const worker of workers) {
      const patches = (worker.kubeadmConfigPatches ?? []).map((p) => parse(p) as Record<string, unknown>);
      expect(patches).toHaveLength(1);
      // No apiVersion: kind applies such a patch to whichever kubeadm API version it uses.
      expect(patches[0]).not.toHaveProperty('apiVersion');
      expect(patches[0]).toEqual({
        kind: 'JoinConfiguration',
        nodeRegistration: { taints: [{ key: 'pool', value: worker.labels?.pool, effect: 'NoSchedule' }] },
      });
    }
  });

  it('gives every worker its zone and region labels, a pool spread over the zones; the control plane none', async () => {
    const config = renderKindConfig(await loadTopology(), { name: 'lab' });
    const zoneOf = (role: string) =>
      config.nodes
        .filter((n) => n.role === role)
        .map((n) => [n.labels?.pool, n.labels?.['topology.kubernetes.io/zone']]);
    expect(zoneOf('worker')).toEqual([
      ['frontend', 'eu-west-1a'],
      ['frontend', 'eu-west-1b'],
      ['backend', 'eu-west-1a'],
      ['backend', 'eu-west-1b'],
      ['database', 'eu-west-1a'],
      ['monitoring', 'eu-west-1a'],
    ]);
    expect(
      config.nodes.filter((n) => n.role === 'worker').map((n) => n.labels?.['topology.kubernetes.io/region']),
    ).toEqual(Array(6).fill('eu-west-1'));
    expect(zoneOf('control-plane')).toEqual([[undefined, undefined]]);
  });

  it('maps the frontend NodePort to the host on loopback only, once', async () => {
    const topology = await loadTopology();
    const config = renderKindConfig(topology, { name: 'lab' });
    const mappings = config.nodes.flatMap((n) => n.extraPortMappings ?? []);
    expect(mappings).toEqual([
      {
        containerPort: topology.frontendAccess.nodePort,
        hostPort: topology.frontendAccess.hostPort,
        listenAddress: '127.0.0.1',
        protocol: 'TCP',
      },
    ]);
  });

  it('pins the node image on every node when one is given', async () => {
    const config = renderKindConfig(await loadTopology(), {
      name: 'lab',
      nodeImage: 'kindest/node:v1.36.1@sha256:abc',
    });
    expect(new Set(config.nodes.map((n) => n.image))).toEqual(new Set(['kindest/node:v1.36.1@sha256:abc']));
  });
});
