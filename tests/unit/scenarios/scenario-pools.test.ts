// Pools named by a scenario, held to a topology: every place a pool can be named is found, and a
// run on a lab whose topology lacks one is refused before anything touches the cluster.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendByName } from '../../../core/backends/choose-backend.ts';
import { isKartStreamError, type KartStreamError } from '../../../core/errors/kartstream-error.ts';
import type { OpenLab } from '../../../core/lab/open-lab.ts';
import { loadScenarioFile } from '../../../core/scenarios/load-scenario.ts';
import { checkRunnable } from '../../../core/scenarios/scenario-runner.ts';
import {
  poolReferences,
  poolsOf,
  unknownPoolLines,
  unknownPools,
} from '../../../core/scenarios/scenario-pools.ts';
import type { Scenario } from '../../../core/scenarios/scenario-types.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../../../core/topology/load-topology.ts';

const corpus = join(import.meta.dirname, '../../fixtures/scenarios');
const topology = await loadTopology();
const pools = poolsOf(DEFAULT_TOPOLOGY_FILE, topology);
const { scenario: base } = await loadScenarioFile(join(corpus, 'valid-full.yaml'));
const badFile = join(corpus, 'invalid-unknown-pool.yaml');
const { scenario: bad } = await loadScenarioFile(badFile);

const everywhere: Scenario = {
  ...base,
  setup: [{ scalePool: { pool: 'a', nodes: 1 } }, { wait: { for: '1s' } }],
  steadyState: [{ nodesReady: { pool: 'b', count: 1 } }, { deploymentsAvailable: { all: true } }],
  steps: [
    {
      ...base.steps[0]!,
      do: [{ failNode: { pool: 'c' } }, { failNode: { node: 'backend-1' } }],
      checks: [
        { podsOnPool: { selector: 'app=x', pool: 'd' } },
        { noPodsOn: { pool: 'e' } },
        { noPodsOn: { node: 'backend-1' } },
        { alert: { name: 'NodeDown', state: 'firing', labels: { pool: 'f' } } },
      ],
    },
    base.steps[1]!,
  ],
  rollback: [{ healNode: { pool: 'g' } }, { healNode: { node: 'backend-1' } }],
};

describe('poolReferences', () => {
  it('finds every pool an action or check names, with its path', () => {
    expect(poolReferences(everywhere)).toEqual([
      { path: ['setup', 0, 'scalePool', 'pool'], pool: 'a' },
      { path: ['steadyState', 0, 'nodesReady', 'pool'], pool: 'b' },
      { path: ['steps', 0, 'do', 0, 'failNode', 'pool'], pool: 'c' },
      { path: ['steps', 0, 'checks', 0, 'podsOnPool', 'pool'], pool: 'd' },
      { path: ['steps', 0, 'checks', 1, 'noPodsOn', 'pool'], pool: 'e' },
      { path: ['steps', 0, 'checks', 3, 'alert', 'labels', 'pool'], pool: 'f' },
      { path: ['steps', 1, 'checks', 0, 'nodesReady', 'pool'], pool: 'backend' },
      { path: ['rollback', 0, 'healNode', 'pool'], pool: 'g' },
    ]);
  });

  it('finds nothing wrong with the shipped fixture and the default topology', () => {
    expect(unknownPools(base, pools)).toEqual([]);
  });
});

describe('unknownPoolLines', () => {
  it('names the step by id, the field, the bad pool, the topology file and its pools', () => {
    expect(unknownPoolLines(bad, pools)).toEqual([
      'steps.break-it.do[0].failNode.pool: got "storage", expected a pool of infra/topology.yaml: frontend, backend, database, monitoring',
      'steps.fix-it.checks[0].nodesReady.pool: got "storage", expected a pool of infra/topology.yaml: frontend, backend, database, monitoring',
    ]);
  });
});

describe('checkRunnable', () => {
  it('refuses to run a scenario naming a pool the lab does not have, with a lint command as the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kartstream-pools-'));
    try {
      const opened = {
        record: { name: 'lab-a', backend: 'sim', topologyFile: DEFAULT_TOPOLOGY_FILE },
        lab: { name: 'lab-a', dir, kubeconfigPath: join(dir, 'kubeconfig'), topology },
        backend: backendByName('sim'),
      } as unknown as OpenLab;
      await expect(checkRunnable(opened, base)).resolves.toBeUndefined();
      const error = await checkRunnable(opened, bad, badFile).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isKartStreamError(error)).toBe(true);
      const refusal = error as KartStreamError;
      expect(refusal.code).toBe('invalid-input');
      expect(refusal.message).toBe('scenario fixture-scenario cannot run on lab lab-a');
      expect(refusal.details).toEqual(unknownPoolLines(bad, pools));
      expect(refusal.fix).toBe(
        "name only pools of the lab's topology in the scenario; check it with: npx kartstream scenario lint --topology infra/topology.yaml tests/fixtures/scenarios/invalid-unknown-pool.yaml",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
