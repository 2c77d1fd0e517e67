// The argv of every kind call, and proof that the real kind binary (the pinned version, built by
// KartStream's own installer) accepts each one: run against a socket where no engine can be, kind
// gets past flag parsing and, for create, past loading our rendered config with its own strict
// decoder, and fails only where it needs the engine.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKind, parseKindVersion } from '../../../core/backends/kind/binary.ts';
import { kindArgs, kindEnv } from '../../../core/backends/kind/kind-cli.ts';
import { labKindConfig } from '../../../core/backends/kind/nodes.ts';
import { KIND_NODE_IMAGE, KIND_VERSION } from '../../../core/backends/kind/pins.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';
import { NO_ENGINE_HOST, realKind } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kartstream-kind-argv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let kind: string;
beforeAll(async () => {
  kind = await realKind();
}, 600_000);

// kind with no reachable engine: DOCKER_HOST names a socket that cannot exist.
const runKind = (args: string[]) =>
  execa(kind, args, {
    reject: false,
    env: { ...kindEnv('docker'), DOCKER_HOST: NO_ENGINE_HOST },
    timeout: 60_000,
  });
const NOT_PARSED =
  /unknown (flag|command|shorthand)|accepts \d+ arg|requires at least|invalid argument|unable to decode config|error reading file/i;

const config = join(scratch, 'kind-config.yaml');
const kubeconfig = join(scratch, 'kind-kubeconfig');
const CASES: [string, string[], RegExp][] = [
  [
    'create',
    kindArgs.create({ name: 'lab', config, image: KIND_NODE_IMAGE, kubeconfig }),
    /failed to get docker info/,
  ],
  [
    'create --retain',
    kindArgs.create({ name: 'lab', config, image: KIND_NODE_IMAGE, kubeconfig, retain: true }),
    /failed to get docker info/,
  ],
  [
    'delete',
    kindArgs.delete({ name: 'lab', kubeconfig }),
    /failed to delete cluster "lab".*failed to list nodes/s,
  ],
  ['get clusters', kindArgs.getClusters(), /failed to list clusters/],
  ['get nodes', kindArgs.getNodes('lab'), /failed to list nodes/],
  ['get kubeconfig', kindArgs.getKubeconfig('lab'), /failed to list nodes/],
  [
    'load docker-image',
    kindArgs.loadImages({ name: 'lab', images: ['redis:7.4-alpine', 'busybox:1.37'] }),
    /image: "redis:7\.4-alpine" not present locally/,
  ],
  [
    'load docker-image --nodes',
    kindArgs.loadImages({ name: 'lab', images: ['redis:7.4-alpine'], nodes: ['lab-worker', 'lab-worker2'] }),
    /not present locally/,
  ],
  ['export logs', kindArgs.exportLogs({ name: 'lab', dir: join(scratch, 'logs') }), /failed to list nodes/],
];

describe('the argv of every kind call', () => {
  it('is exactly what KartStream means to run', () => {
    expect(
      kindArgs.create({
        name: 'lab',
        config: '/l/kind-config.yaml',
        image: KIND_NODE_IMAGE,
        kubeconfig: '/l/kind-kubeconfig',
      }),
    ).toEqual([
      'create',
      'cluster',
      '--name',
      'lab',
      '--config',
      '/l/kind-config.yaml',
      '--image',
      KIND_NODE_IMAGE,
      '--wait',
      '5m',
      '--kubeconfig',
      '/l/kind-kubeconfig',
    ]);
    expect(kindArgs.delete({ name: 'lab', kubeconfig: '/l/k' })).toEqual([
      'delete',
      'cluster',
      '--name',
      'lab',
      '--kubeconfig',
      '/l/k',
    ]);
    expect(kindArgs.loadImages({ name: 'lab', images: ['a:1', 'b:2'], nodes: ['lab-worker'] })).toEqual([
      'load',
      'docker-image',
      'a:1',
      'b:2',
      '--name',
      'lab',
      '--nodes',
      'lab-worker',
    ]);
    expect(kindArgs.exportLogs({ name: 'lab', dir: '/t/kind-logs' })).toEqual([
      'export',
      'logs',
      '/t/kind-logs',
      '--name',
      'lab',
    ]);
    expect(kindArgs.getKubeconfig('lab')).toEqual(['get', 'kubeconfig', '--name', 'lab']);
    expect(kindEnv('podman')).toEqual({ KIND_EXPERIMENTAL_PROVIDER: 'podman' });
  });

  it('runs the pinned kind, which reports its version', async () => {
    const { stdout } = await execa(kind, ['version']);
    expect(parseKindVersion(stdout)).toBe(KIND_VERSION);
    expect((await findKind()).path).toBe(kind);
  });

  it.each(CASES)(
    'kind %s: the real kind accepts the argv and stops only at the engine',
    async (_name, args, engineError) => {
      writeFileSync(config, stringify(labKindConfig(await loadTopology(), 'lab')));
      const result = await runKind(args);
      expect(result.exitCode, result.stderr).toBe(1);
      expect(result.stderr).not.toMatch(NOT_PARSED);
      expect(result.stderr).toMatch(engineError);
    },
  );

  it('control: a wrong flag or a config field kind does not know fails before the engine', async () => {
    expect((await runKind(['create', 'cluster', '--name', 'lab', '--bogus'])).stderr).toMatch(
      /unknown flag: --bogus/,
    );
    writeFileSync(
      config,
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: worker\n  lables: {pool: x}\n',
    );
    const bad = await runKind(kindArgs.create({ name: 'lab', config, image: KIND_NODE_IMAGE, kubeconfig }));
    expect(bad.stderr).toMatch(/unable to decode config.*field lables not found in type v1alpha4\.Node/s);
  });
});
