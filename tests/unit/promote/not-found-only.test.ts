// Only "not found" means "not there": a corrupt promote record, an AWS error that is not a
// not-found, or a missing stack output is raised with a fix instead of becoming a wrong answer.
// AWS failures use the SDK's own error classes (moto cannot be made to deny access).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException,
  DescribeClusterCommand,
  ListClustersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../core/promote/aws-clients.ts';
import { promoteContext, readPromoteRecord } from '../../../core/promote/context.ts';
import { createClusterInput, desiredCluster } from '../../../core/promote/eks-spec.ts';
import { taggedEksAndStack } from '../../../core/promote/leftovers.ts';
import { LAB_TAG, promoteDir, promoteNames, promoteRecordPath } from '../../../core/promote/names.ts';
import { nodegroupsOrNone } from '../../../core/promote/scale.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';

const previousHome = process.env.KARTSTREAM_HOME;
let home = '';

beforeEach(() => {
  if (home) rmSync(home, { recursive: true, force: true });
  home = mkdtempSync(join(tmpdir(), 'kartstream-promote-'));
  process.env.KARTSTREAM_HOME = home;
});

afterAll(() => {
  process.env.KARTSTREAM_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

const meta = { $metadata: { httpStatusCode: 400 } };
const denied = () =>
  new AccessDeniedException({ message: 'User is not authorized to eks:DescribeCluster', ...meta });
const missing = () => new ResourceNotFoundException({ message: 'No cluster found for name: gone.', ...meta });

// Clients whose EKS answers from `eks` and whose CloudFormation knows no stack.
const fakeClients = (eks: (command: unknown) => unknown): AwsClients =>
  ({
    region: 'eu-west-1',
    eks: { send: async (command: unknown) => eks(command) },
    cfn: {
      send: async () => {
        throw Object.assign(new Error('Stack with id kartstream-demo-network does not exist'), {
          name: 'ValidationError',
        });
      },
    },
  }) as unknown as AwsClients;

const names = promoteNames('demo', 'eu-west-1');

describe('the promote record', () => {
  it('is undefined when the lab was never promoted', async () => {
    expect(await readPromoteRecord('demo')).toBeUndefined();
  });

  it('that is corrupt is an error with its path and a fix, not the defaults', async () => {
    mkdirSync(promoteDir('demo'), { recursive: true });
    writeFileSync(promoteRecordPath('demo'), '{"lab": "demo", "regi');
    await expect(readPromoteRecord('demo')).rejects.toMatchObject({
      code: 'corrupt-record',
      details: [expect.stringContaining(promoteRecordPath('demo'))],
      fix: expect.stringContaining(`rm ${promoteRecordPath('demo')}`),
    });
    // Every promote command starts here: none silently works on another region.
    await expect(promoteContext({ name: 'demo' })).rejects.toMatchObject({ code: 'corrupt-record' });
  });
});

describe('leftovers', () => {
  it('a cluster deleted between list and describe is no leftover', async () => {
    const clients = fakeClients((command) => {
      if (command instanceof ListClustersCommand) return { clusters: ['gone'] };
      throw missing();
    });
    expect(await taggedEksAndStack(clients, names)).toEqual([]);
  });

  it('a tagged cluster is found', async () => {
    const clients = fakeClients((command) => {
      if (command instanceof ListClustersCommand) return { clusters: ['demo'] };
      if (command instanceof DescribeClusterCommand)
        return { cluster: { name: 'demo', status: 'ACTIVE', tags: { [LAB_TAG]: 'demo' } } };
      throw new Error('unexpected command');
    });
    expect(await taggedEksAndStack(clients, names)).toEqual([
      { type: 'AWS::EKS::Cluster', id: 'demo', detail: 'ACTIVE' },
    ]);
  });

  it('a describe that is denied is raised, not taken for "no leftover"', async () => {
    const clients = fakeClients((command) => {
      if (command instanceof ListClustersCommand) return { clusters: ['demo'] };
      throw denied();
    });
    await expect(taggedEksAndStack(clients, names)).rejects.toMatchObject({
      code: 'backend-unavailable',
      message: expect.stringMatching(/failed to describe the EKS cluster demo: access denied/),
      fix: expect.any(String),
    });
  });
});

describe('scale', () => {
  it('a cluster that does not exist has no node groups', async () => {
    const clients = fakeClients(() => {
      throw missing();
    });
    expect(await nodegroupsOrNone(clients, 'demo')).toEqual([]);
  });

  it('any other failure to list node groups is raised, not "has no node group"', async () => {
    const clients = fakeClients(() => {
      throw denied();
    });
    await expect(nodegroupsOrNone(clients, 'demo')).rejects.toMatchObject({
      code: 'backend-unavailable',
      message: expect.stringContaining('access denied'),
    });
  });
});

describe('EKS specs', () => {
  it('a network stack without the outputs the cluster needs says to apply it first', async () => {
    const topology = await loadTopology();
    await expect(async () =>
      createClusterInput(desiredCluster(topology, names), {}, names),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('ClusterRoleArn'),
      fix: expect.stringContaining('promote apply'),
    });
  });
});
