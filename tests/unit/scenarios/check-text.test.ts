// Checks in words: one sentence per check kind of the schema, a few exact sentences, and the
// sentence worked out again from a recorded spec (runs recorded before sentences existed).
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../../core/scenarios/catalog.ts';
import {
  CHECKS_WITH_TEXT,
  checkSpec,
  checkText,
  checkTextOfSpec,
  sentenceOf,
} from '../../../core/scenarios/check-text.ts';
import { checkArguments } from '../../../core/scenarios/scenario-schema.ts';
import type { Check } from '../../../core/scenarios/scenario-types.ts';

describe('checkText', () => {
  it('has a sentence for every check kind of the schema', () => {
    expect([...CHECKS_WITH_TEXT].sort()).toEqual(Object.keys(checkArguments).sort());
  });

  it('says every check of the shipped scenarios in words, without JSON', async () => {
    const checks = (await listScenarios()).flatMap(({ scenario }) => [
      ...scenario.steadyState,
      ...scenario.steps.flatMap((s) => s.checks),
    ]);
    expect(checks.length).toBeGreaterThan(10);
    for (const check of checks) {
      const text = checkText(check);
      // a PromQL query keeps its own braces and quotes (label matchers)
      const prose = 'promql' in check ? text.replace(check.promql.query, 'QUERY') : text;
      expect(prose).not.toMatch(/[{}"]|undefined/);
      expect(text.length).toBeGreaterThan(5);
    }
  });

  it.each<[Check, string]>([
    [{ deploymentsAvailable: { all: true } }, 'every Deployment available'],
    [{ deploymentsAvailable: { names: ['cartservice'] } }, 'Deployment cartservice available'],
    [
      { deploymentsAvailable: { names: ['cartservice', 'redis-cart', 'frontend'] } },
      'Deployments cartservice, redis-cart and frontend available',
    ],
    [{ nodesReady: { pool: 'backend', count: 2 } }, '2 Ready nodes in backend'],
    [{ nodesReady: { pool: 'database', count: 1 } }, '1 Ready node in database'],
    [{ podsOnPool: { selector: 'app=cartservice', pool: 'backend' } }, 'every pod matching app=cartservice on pool backend'],
    [{ noPodsOn: { node: 'backend-1' } }, 'no pods on node backend-1'],
    [{ noPodsOn: { pool: 'backend', selector: 'app=x' } }, 'no pods matching app=x on pool backend'],
    [{ pendingPods: { max: 0 } }, 'no Pending pods'],
    [{ pendingPods: { min: 1, selector: 'kartstream.dev/pool=backend' } }, 'at least 1 Pending pod matching kartstream.dev/pool=backend'],
    [{ pendingPods: { min: 1, max: 3 } }, 'between 1 and 3 Pending pods'],
    [{ pendingPods: { min: 2, max: 2 } }, 'exactly 2 Pending pods'],
    [{ pendingPods: { max: 4 } }, 'at most 4 Pending pods'],
    [{ alert: { name: 'RedisCartDown', state: 'firing' } }, 'alert RedisCartDown firing'],
    [{ alert: { name: 'NodeDown', state: 'resolved', labels: { pool: 'backend' } } }, 'alert NodeDown (pool=backend) resolved'],
    [{ alertRule: { name: 'FastCart', forAtMost: '1m' } }, 'alert rule FastCart loaded, with a for: of at most 1m'],
    [{ promql: { query: 'up', op: '>=', value: 1 } }, 'PromQL up >= 1'],
    [{ event: { reason: 'FailedScheduling', object: 'checkoutservice' } }, 'a FailedScheduling event for checkoutservice'],
    [{ http: { path: '/', status: 200 } }, 'the shop answers / with HTTP 200'],
    [{ httpFails: { path: '/cart' } }, 'the shop fails /cart (an error status or no answer)'],
    [{ httpFails: { path: '/cart/checkout', method: 'POST' } }, 'the shop fails POST /cart/checkout (an error status or no answer)'],
    [{ monitoringAnswers: { part: 'prometheus', answers: false } }, 'Prometheus does not answer'],
    [{ monitoringAnswers: { part: 'alertmanager', answers: true } }, 'Alertmanager answers'],
    [{ learnerRan: { pattern: 'kubectl get pods' } }, 'you ran a command matching /kubectl get pods/'],
    [{ nodesCordoned: { pool: 'backend', count: 0 } }, '0 cordoned nodes in backend'],
    [{ nodesCordoned: { pool: 'backend', count: 1, drained: true } }, '1 drained node in backend'],
    [
      { disruptionBudget: { selector: 'app=productcatalogservice', minAvailable: 1 } },
      'a PodDisruptionBudget keeps at least 1 pod matching app=productcatalogservice and allows an eviction now',
    ],
  ])('says %j as "%s"', (check, sentence) => {
    expect(checkText(check)).toBe(sentence);
  });
});

describe('checkSpec and the sentence of a recorded spec', () => {
  it('writes the check as the scenario does, and reads the sentence back from it', () => {
    const check: Check = { nodesReady: { pool: 'backend', count: 2 } };
    expect(checkSpec(check)).toBe('nodesReady {"pool":"backend","count":2}');
    expect(checkTextOfSpec(checkSpec(check))).toBe('2 Ready nodes in backend');
  });

  it('keeps a spec it cannot read as it is', () => {
    expect(checkTextOfSpec('nodesReady backend')).toBe('nodesReady backend');
    expect(checkTextOfSpec('noSuchCheck {}')).toBe('noSuchCheck {}');
    expect(checkTextOfSpec('deploymentsAvailable {"names":7}')).toBe('deploymentsAvailable {"names":7}');
  });

  it('prefers the recorded sentence', () => {
    expect(sentenceOf({ check: 'deploymentsAvailable {"all":true}', text: 'as recorded' })).toBe('as recorded');
    expect(sentenceOf({ check: 'deploymentsAvailable {"all":true}' })).toBe('every Deployment available');
  });
});
