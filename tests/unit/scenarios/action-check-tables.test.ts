// The action and check tables: one entry per kind of the schema, and the dispatch through them
// answers as the single functions did (what a backend cannot run, what needs monitoring, how a
// check reads the store).
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../../../core/backends/cluster-backend.ts';
import { ACTIONS } from '../../../core/scenarios/actions/index.ts';
import { CHECKS } from '../../../core/scenarios/checks/index.ts';
import { cannotRun, runAction } from '../../../core/scenarios/scenario-actions.ts';
import { checkText } from '../../../core/scenarios/check-text.ts';
import { cannotCheck, evaluateCheck, MONITORING_CHECKS, POLLED_CHECKS } from '../../../core/scenarios/scenario-checks.ts';
import type { ScenarioContext } from '../../../core/scenarios/scenario-context.ts';
import { actionArguments, checkArguments } from '../../../core/scenarios/scenario-schema.ts';
import type { Action } from '../../../core/scenarios/scenario-types.ts';

const none: Capabilities = {
  failNode: false,
  growPool: false,
  shrinkPool: false,
  breakPods: [],
  unsupported: {},
  notes: [],
};
const all: Capabilities = {
  failNode: true,
  growPool: true,
  shrinkPool: true,
  breakPods: ['crashloop', 'not-ready', 'failed'],
  unsupported: {},
  notes: [],
};

describe('the tables', () => {
  it('have exactly one entry per action and check kind of the schema', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(Object.keys(actionArguments).sort());
    expect(Object.keys(CHECKS).sort()).toEqual(Object.keys(checkArguments).sort());
  });
});

describe('cannotRun', () => {
  it.each<[Action, string]>([
    [{ failNode: { pool: 'backend' } }, 'lab-x cannot fail nodes'],
    [{ scalePool: { pool: 'backend', nodes: 1 } }, 'lab-x cannot scale node pools'],
    [{ breakPods: { deployment: 'cart', mode: 'notready' } }, 'lab-x cannot break pods the "notready" way'],
    [{ setUsage: { deployment: 'cart' } }, 'simulated CPU/memory usage (setUsage) is not available on lab-x yet'],
  ])('%j: %s', (action, why) => {
    expect(cannotRun(action, none, 'lab-x')).toBe(why);
  });

  it('lets a capable backend run them, and every backend run the Kubernetes actions', () => {
    expect(cannotRun({ breakPods: { deployment: 'cart', mode: 'notready' } }, all, 'kind')).toBeUndefined();
    expect(cannotRun({ failNode: { pool: 'backend' } }, all, 'kind')).toBeUndefined();
    expect(cannotRun({ restoreShop: {} }, none, 'kind')).toBeUndefined();
    expect(cannotRun({ setUsage: { deployment: 'cart' } }, all, 'kind')).toMatch(/not available on kind/);
  });

  it('refuses to run an action kind it does not know', async () => {
    await expect(runAction({} as ScenarioContext, { nope: {} } as unknown as Action)).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'cannot run action nope here',
    });
  });
});

describe('checks', () => {
  it('the monitoring checks are the ones that read Prometheus or Alertmanager', () => {
    expect([...MONITORING_CHECKS].sort()).toEqual(['alert', 'alertRule', 'monitoringAnswers', 'promql']);
    // and those a step re-reads on a tick: monitoring, and the shop over HTTP
    expect([...POLLED_CHECKS].sort()).toEqual([
      'alert',
      'alertRule',
      'disruptionBudget',
      'http',
      'httpFails',
      'monitoringAnswers',
      'promql',
    ]);
    expect(cannotCheck({ promql: { query: 'up', op: '>', value: 0 } }, 'kind', false)).toBe(
      'the lab runs without monitoring',
    );
    // every backend has a frontend to forward to (in sim the traffic model answers behind it)
    expect(cannotCheck({ http: { path: '/', status: 200 } }, 'sim', false)).toBeUndefined();
    expect(cannotCheck({ nodesReady: { pool: 'backend', count: 1 } }, 'sim', false)).toBeUndefined();
  });

  const node = (name: string, pool: string, ready: boolean): V1Node => ({
    metadata: { name, labels: { pool } },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  const pod = (name: string, nodeName: string | undefined, phase: string): V1Pod => ({
    metadata: { name, namespace: 'shop', labels: { app: name.split('-')[0] ?? name } },
    spec: { containers: [], nodeName },
    status: { phase },
  });
  const ctx = {
    namespace: 'shop',
    store: {
      nodes: () => [node('backend-1', 'backend', true), node('backend-2', 'backend', false)],
      pods: () => [pod('cart-1', 'backend-1', 'Running'), pod('cart-2', undefined, 'Pending')],
      deployments: () => [],
      events: () => [],
    },
  } as unknown as ScenarioContext;
  const since = new Date();

  it.each([
    [{ nodesReady: { pool: 'backend', count: 1 } }, true, '1 Ready in backend, want 1'],
    [{ pendingPods: { min: 1, selector: 'app=cart' } }, true, '1 Pending'],
    [{ podsOnPool: { selector: 'app=cart', pool: 'backend' } }, false, '1 pod(s) not on backend'],
    [{ noPodsOn: { node: 'backend-1' } }, false, '1 pod(s) still there'],
    [{ event: { reason: 'Evicted' } }, false, 'no Evicted event yet'],
  ] as const)('%j is %s: %s', async (check, ok, detail) => {
    expect(await evaluateCheck(ctx, check, since)).toEqual({
      check: `${Object.keys(check)[0]} ${JSON.stringify(Object.values(check)[0])}`,
      text: checkText(check),
      ok,
      detail,
    });
  });
});
