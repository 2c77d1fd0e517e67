// The pure half of `attach`: what each pool lacks on a cluster (with the command that adds it),
// the context chosen from a kubeconfig (a missing one lists those there are), and the lab's own
// copy (one context, files read in, an exec plugin kept and made absolute). The capabilities say
// what an attached cluster refuses and why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { externalCapabilities } from '../../../core/backends/external/backend.ts';
import {
  chooseContext,
  renderAttachedKubeconfig,
  type KubeconfigDocument,
} from '../../../core/backends/external/kubeconfig.ts';
import { missingPoolParts } from '../../../core/backends/external/nodes.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';

const topology = await loadTopology();
const dir = mkdtempSync(join(tmpdir(), 'external-attach-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (
  name: string,
  pool: string | undefined,
  opts: { taint?: boolean; ready?: boolean } = {},
): V1Node => ({
  metadata: { name, labels: pool ? { pool } : {} },
  spec: { taints: opts.taint === false || !pool ? [] : [{ key: 'pool', value: pool, effect: 'NoSchedule' }] },
  status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});

const wholeCluster = () => [
  node('f1', 'frontend'),
  node('f2', 'frontend'),
  node('b1', 'backend'),
  node('b2', 'backend'),
  node('d1', 'database'),
  node('m1', 'monitoring'),
];

describe("the topology's pools on an attached cluster", () => {
  it('finds nothing missing on a cluster with every pool', () => {
    expect(missingPoolParts(wholeCluster(), topology)).toEqual([]);
  });

  it('names each missing part with the kubectl command that adds it', () => {
    const nodes = [
      node('f1', 'frontend'),
      node('f2', 'frontend', { taint: false }),
      node('b1', 'backend'),
      node('b2', 'backend', { ready: false }),
      node('m1', 'monitoring'),
      node('spare', undefined),
    ];
    expect(missingPoolParts(nodes, topology)).toEqual([
      'pool frontend: f2 lacks the taint pool=frontend:NoSchedule (kubectl taint nodes f2 pool=frontend:NoSchedule)',
      'pool backend: 1 Ready node labelled pool=backend, want 2',
      'pool database: no node is labelled pool=database (want 1 Ready; label them: kubectl label nodes NODE pool=database)',
    ]);
  });
});

const kubeconfig: KubeconfigDocument = {
  contexts: [
    { name: 'dev', context: { cluster: 'dev-cluster', user: 'dev-user' } },
    { name: 'prod', context: { cluster: 'prod-cluster', user: 'prod-user' } },
  ],
  clusters: [
    { name: 'dev-cluster', cluster: { server: 'https://dev:6443', 'certificate-authority': 'ca.crt' } },
    { name: 'prod-cluster', cluster: { server: 'https://prod:6443' } },
  ],
  users: [
    { name: 'dev-user', user: { exec: { command: './bin/get-token', args: ['--x'] } } },
    { name: 'prod-user', user: { token: 't' } },
  ],
  'current-context': 'prod',
};

describe('the kubeconfig of an attached cluster', () => {
  it('takes the current context unless one is named', () => {
    expect(chooseContext(kubeconfig, '/k/config').context).toBe('prod');
    expect(chooseContext(kubeconfig, '/k/config', 'dev').server).toBe('https://dev:6443');
  });

  it('refuses a context that is not there, listing those that are', () => {
    expect(() => chooseContext(kubeconfig, '/k/config', 'staging')).toThrowError(
      expect.objectContaining({
        message: 'kubeconfig /k/config has no context "staging"',
        details: ['contexts there: dev, prod'],
        fix: 'use --context dev',
      }),
    );
  });

  it('copies one context, reads files in, and keeps the exec plugin with its path made absolute', async () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA');
    const chosen = chooseContext(kubeconfig, join(dir, 'config'), 'dev');
    const doc = await renderAttachedKubeconfig(chosen, 'work', 'shop');
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'kartstream-work',
          cluster: {
            server: 'https://dev:6443',
            'certificate-authority-data': Buffer.from('CA').toString('base64'),
          },
        },
      ],
      users: [
        { name: 'kartstream-work', user: { exec: { command: join(dir, 'bin/get-token'), args: ['--x'] } } },
      ],
      contexts: [
        {
          name: 'kartstream-work',
          context: { cluster: 'kartstream-work', user: 'kartstream-work', namespace: 'shop' },
        },
      ],
      'current-context': 'kartstream-work',
    });
  });
});

describe('what an attached cluster can do', () => {
  it('fails nodes by a stand-in, refuses pool scaling and failed pods, each with its reason', () => {
    const caps = externalCapabilities();
    expect(caps).toMatchObject({ failNode: true, growPool: false, shrinkPool: false });
    expect(caps.breakPods).toEqual(['crashloop', 'not-ready']);
    expect(Object.keys(caps.unsupported).sort()).toEqual(['breakPods:failed', 'growPool', 'shrinkPool']);
    expect(caps.notes.find((n) => n.startsWith('failNode:'))).toContain('the node stays Ready');
  });
});
