// The ClusterBackend contract as callers read it: each backend answers what differs (monitoring
// placement, the shop's URL, tools, a reason for every fault it cannot do), so `up`, the runner
// and the services never ask which backend they hold. No engine and no cluster are touched.
import { describe, expect, it } from 'vitest';
import { backendByName, LOCAL_BACKENDS } from '../../../core/backends/choose-backend.ts';
import type { FaultAction, LabContext } from '../../../core/backends/cluster-backend.ts';
import { kindBackend } from '../../../core/backends/kind/backend.ts';
import { labKindConfig } from '../../../core/backends/kind/nodes.ts';
import { shopUrl } from '../../../core/backends/kind/provision.ts';
import { simBackend } from '../../../core/backends/sim/backend.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';

const topology = await loadTopology();
const lab: LabContext = { name: 'lab', dir: '/nonexistent/lab', kubeconfigPath: '/nonexistent/kc', topology };

const faultsOf = (caps: ReturnType<ReturnType<typeof simBackend>['capabilities']>): FaultAction[] => [
  ...(['failNode', 'growPool', 'shrinkPool'] as const).filter((f) => caps[f]),
  ...caps.breakPods.map((p) => `breakPods:${p}` as const),
];

describe('the backends that exist', () => {
  it('are sim and kind, each reachable by its name', () => {
    expect(LOCAL_BACKENDS).toEqual(['sim', 'kind']);
    for (const name of LOCAL_BACKENDS) expect(backendByName(name).name).toBe(name);
  });
});

describe('what differs, answered by the backend', () => {
  it('sim: monitoring as host processes, no shop URL, every fault', () => {
    const sim = simBackend();
    expect(sim.monitoring).toEqual({ runs: 'host-processes', overlay: 'sim' });
    expect(sim.shopUrl(lab)).toBeUndefined();
    expect(sim.capabilities().unsupported).toEqual({});
    expect(faultsOf(sim.capabilities())).toHaveLength(6);
  });

  it('kind: monitoring in the cluster from its overlay, the shop on the mapped host port', () => {
    const kind = kindBackend();
    expect(kind.monitoring).toEqual({ runs: 'in-cluster', overlay: 'kind' });
    const { listenAddress, hostPort } = topology.frontendAccess;
    expect(kind.shopUrl(lab)).toBe(`http://${listenAddress}:${hostPort}`);
  });

  it('kind: a reason (and what to do instead) for each fault it cannot do, and only for those', () => {
    const caps = kindBackend().capabilities();
    const all: FaultAction[] = [
      'failNode',
      'growPool',
      'shrinkPool',
      'breakPods:crashloop',
      'breakPods:not-ready',
      'breakPods:failed',
    ];
    const supported = new Set(faultsOf(caps));
    for (const fault of all) {
      if (supported.has(fault)) expect(caps.unsupported[fault]).toBeUndefined();
      else expect(caps.unsupported[fault]).toMatch(/sim|use /);
    }
    expect(Object.keys(caps.unsupported).sort()).toEqual(['breakPods:failed', 'growPool']);
  });
});

describe('the shop URL', () => {
  it('brackets an IPv6 listen address', () => {
    const v6 = { ...topology, frontendAccess: { ...topology.frontendAccess, listenAddress: '::1' } };
    expect(shopUrl(v6)).toBe(`http://[::1]:${topology.frontendAccess.hostPort}`);
    expect(kindBackend().shopUrl({ ...lab, topology: v6 })).toBe(
      `http://[::1]:${topology.frontendAccess.hostPort}`,
    );
  });
});

describe('kind and --api-port', () => {
  it('puts the chosen port in the kind config (networking.apiServerPort on 127.0.0.1)', () => {
    expect(labKindConfig(topology, 'lab', 16443).networking).toEqual({
      apiServerAddress: '127.0.0.1',
      apiServerPort: 16443,
    });
  });

  it('leaves the port to kind when none is chosen', () => {
    expect(labKindConfig(topology, 'lab')).not.toHaveProperty('networking');
  });
});
