// The kind config KartStream renders, checked against kind's own Go types: every config goes
// through tests/tools/kind-config-check, which decodes it the way `kind create cluster --config`
// does (strictly: an unknown field is an error), applies kind's v1alpha4 defaults and kind's
// validation rules, then KartStream's own (patches without apiVersion, JoinConfiguration on
// workers, labels the kubelet accepts). The assertions read the tool's JSON, i.e. what kind's
// v1alpha4.Cluster actually holds after decoding, not what we meant to write.
import { execa } from 'execa';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../core/exec/run-command.ts';
import { DEFAULT_LAB_NAME } from '../../../core/home/lab-name.ts';
import { loadTopology, renderKindConfig } from '../../../core/topology/index.ts';
import { buildGoTool } from '../../tools/build-go-tool.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const toolDir = join(repoRoot, 'tests', 'tools', 'kind-config-check');
const KIND_ONLY = ['-kind-rules-only'];

/** The decoded, defaulted sigs.k8s.io/kind/pkg/apis/config/v1alpha4.Cluster, as JSON. */
interface DecodedNode {
  role: string;
  image: string;
  labels?: Record<string, string>;
  kubeadmConfigPatches?: string[];
  extraPortMappings?: {
    containerPort?: number;
    hostPort?: number;
    listenAddress?: string;
    protocol?: string;
  }[];
}
interface DecodedCluster {
  kind: string;
  apiVersion: string;
  name?: string;
  nodes: DecodedNode[];
  networking: Record<string, unknown>;
}

let tool: string;
beforeAll(async () => {
  tool = await buildGoTool(toolDir);
}, 900_000);

// Accepted configs: the tool's stdout. A rejection throws (runCommand), failing the test.
const decode = async (config: string, args: string[] = []): Promise<DecodedCluster> =>
  JSON.parse(await runCommand(tool, args, { input: config })) as DecodedCluster;

// Rejected configs: the exit code and what the tool said on stderr.
const reject = async (config: string, args: string[] = []) => {
  const { exitCode, stdout, stderr } = await execa(tool, args, { input: config, reject: false });
  return { exitCode, stdout, stderr };
};

const taintsOf = (patch: string): string[] => {
  const doc = parse(patch) as {
    nodeRegistration?: { taints?: { key: string; value: string; effect: string }[] };
  };
  return (doc.nodeRegistration?.taints ?? []).map((t) => `${t.key}=${t.value}:${t.effect}`);
};

// What every rendering of the default topology must hold, read from kind's decoded Cluster.
const expectDefaultTopology = (cluster: DecodedCluster) => {
  expect(cluster).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
  const controlPlanes = cluster.nodes.filter((n) => n.role === 'control-plane');
  const workers = cluster.nodes.filter((n) => n.role === 'worker');
  expect(controlPlanes).toHaveLength(1);
  expect(workers).toHaveLength(6);
  expect(cluster.nodes).toHaveLength(7);

  const perPool: Record<string, number> = {};
  for (const worker of workers) {
    const pool = worker.labels?.pool ?? '(none)';
    perPool[pool] = (perPool[pool] ?? 0) + 1;
    expect(worker.labels).toEqual({
      pool,
      'topology.kubernetes.io/region': 'eu-west-1',
      'topology.kubernetes.io/zone': expect.stringMatching(/^eu-west-1[ab]$/),
    });
    expect(worker.kubeadmConfigPatches).toHaveLength(1);
    const patch = worker.kubeadmConfigPatches?.[0] ?? '';
    const doc = parse(patch) as Record<string, unknown>;
    expect(doc.kind).toBe('JoinConfiguration');
    expect(doc).not.toHaveProperty('apiVersion');
    expect(taintsOf(patch)).toEqual([`pool=${pool}:NoSchedule`]);
  }
  expect(perPool).toEqual({ frontend: 2, backend: 2, database: 1, monitoring: 1 });

  expect(controlPlanes[0]?.extraPortMappings).toEqual([
    { containerPort: 30080, hostPort: 8080, listenAddress: '127.0.0.1', protocol: 'TCP' },
  ]);
  // kind's v1alpha4 defaulting ran: every node has an image, the cluster a network.
  for (const node of cluster.nodes) expect(node.image).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:/);
  expect(cluster.networking).toMatchObject({ ipFamily: 'ipv4', kubeProxyMode: 'iptables' });
};

describe('the rendered kind config, decoded by kind’s v1alpha4 types', () => {
  it('decodes strictly and holds 1 control plane and 6 workers, labelled and tainted by pool', async () => {
    const rendered = stringify(renderKindConfig(await loadTopology(), { name: 'lab' }));
    const cluster = await decode(rendered);
    expect(cluster.name).toBe('lab');
    expectDefaultTopology(cluster);
  });

  it('passes as printed by `kartstream topology render --target kind`', async () => {
    const { stdout } = await execa(
      'node',
      [join(repoRoot, 'bin', 'kartstream.js'), 'topology', 'render', '--target', 'kind'],
      {
        cwd: repoRoot,
      },
    );
    const cluster = await decode(stdout);
    expect(cluster.name).toBe(DEFAULT_LAB_NAME);
    expectDefaultTopology(cluster);
  }, 120_000);
});

describe('the check is strict', () => {
  const base = (node: string) =>
    `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n${node}`;

  it('rejects an unknown field and names it', async () => {
    const { exitCode, stdout, stderr } = await reject(
      base('- role: worker\n  lables:\n    pool: frontend\n'),
    );
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/line 6: field lables not found in type v1alpha4\.Node/);
  });

  it.each([
    [
      'an unknown port mapping protocol',
      '  extraPortMappings:\n  - {containerPort: 1, hostPort: 2, protocol: TCPX}\n',
      /Unknown PortMappingProtocol: "TCPX"/,
    ],
    ['an unknown node role', '- role: master\n', /"master" is not a valid node role/],
    [
      'a duplicated host port',
      '  extraPortMappings:\n  - {containerPort: 1, hostPort: 8080}\n  - {containerPort: 2, hostPort: 8080}\n',
      /already configured: 0\.0\.0\.0:8080\//,
    ],
    [
      'a patch that is not YAML',
      '- role: worker\n  kubeadmConfigPatches:\n  - "kind: [JoinConfiguration"\n',
      /invalid kubeadmConfigPatches\[0\]/,
    ],
  ])('rejects %s (kind’s rules)', async (_what, node, message) => {
    const { exitCode, stderr } = await reject(base(node), KIND_ONLY);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(message);
  });

  const workerPatch = (patch: string) =>
    `- role: worker\n  kubeadmConfigPatches:\n  - |\n${patch.replace(/^/gm, '    ')}\n`;
  it.each([
    [
      'an InitConfiguration patch on a worker',
      workerPatch('kind: InitConfiguration'),
      /a worker runs kubeadm join/,
    ],
    [
      'a patch with an apiVersion',
      workerPatch('apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration'),
      /sets apiVersion "kubeadm.k8s.io\/v1beta3"; omit it/,
    ],
    ['a patch without kind', workerPatch('nodeRegistration: {}'), /a patch must name its kind/],
    [
      'node-labels in a patch',
      workerPatch('kind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: "a=b"'),
      /kubeletExtraArgs\.node-labels replaces the labels/,
    ],
    [
      'a label the kubelet refuses',
      '- role: worker\n  labels: {node-role.kubernetes.io/frontend: ""}\n',
      /the kubelet refuses/,
    ],
  ])('rejects %s (KartStream’s rules)', async (_what, node, message) => {
    const { exitCode, stderr } = await reject(base(node));
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(message);
  });
});

// "Checked against kind's documented fields": the snippets below are copied verbatim from kind's
// configuration guide (site/content/docs/user/configuration.md and the site/static/examples files
// it includes), one per documented v1alpha4 field. Each must decode strictly into kind's Go type
// and come back out with every value it set, so the fields kind documents are exactly fields of
// v1alpha4.Cluster, and the strict decode that accepts them is the one that rejected `lables` above.
// kind's own loader test cases (pkg/internal/apis/config/encoding, load_test.go) follow, from the
// kind module the tool is built against: the tool must give the verdict kind's tests expect.
const DOCUMENTED: Record<string, string> = {
  'minimal config': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n',
  name: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: app-1-cluster\n',
  featureGates: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nfeatureGates:\n  "CSIMigration": true\n',
  runtimeConfig:
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nruntimeConfig:\n  "api/alpha": "false"\n',
  'networking.ipFamily ipv6 + apiServerAddress':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: ipv6\n  apiServerAddress: 127.0.0.1\n',
  'networking.ipFamily dual':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n',
  'networking.apiServerPort':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  apiServerAddress: "127.0.0.1"\n  apiServerPort: 6443\n',
  'networking.podSubnet':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podSubnet: "10.244.0.0/16"\n',
  'networking.serviceSubnet':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  serviceSubnet: "10.96.0.0/12"\n',
  'networking.disableDefaultCNI':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  disableDefaultCNI: true\n',
  'networking.kubeProxyMode':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  kubeProxyMode: "ipvs"\n',
  'networking.kubeProxyMode none':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  kubeProxyMode: "none"\n',
  'nodes (multi-node)':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n- role: worker\n',
  'nodes[].image':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  image: kindest/node:v1.16.4@sha256:b91a2c2317a000f3a783489dfb755064177dbc3a0b2f4147d50f04825d016f55\n- role: worker\n  image: kindest/node:v1.16.4@sha256:b91a2c2317a000f3a783489dfb755064177dbc3a0b2f4147d50f04825d016f55\n',
  'nodes[].extraMounts (config-with-mounts.yaml)':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  extraMounts:\n  - hostPath: /path/to/my/files\n    containerPath: /files\n  - hostPath: /path/to/my/other-files/\n    containerPath: /other-files\n    readOnly: true\n    selinuxRelabel: false\n    propagation: None\n',
  'nodes[].extraPortMappings (config-with-port-mapping.yaml)':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  extraPortMappings:\n  - containerPort: 80\n    hostPort: 80\n    listenAddress: "127.0.0.1"\n    protocol: TCP\n',
  'nodes[].extraPortMappings for a NodePort':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  extraPortMappings:\n  - containerPort: 30950\n    hostPort: 80\n',
  'nodes[].labels':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n  extraPortMappings:\n  - containerPort: 30950\n    hostPort: 80\n  labels:\n    tier: frontend\n- role: worker\n  labels:\n    tier: backend\n',
  'nodes[].kubeadmConfigPatches InitConfiguration':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  kubeadmConfigPatches:\n  - |\n    kind: InitConfiguration\n    nodeRegistration:\n      kubeletExtraArgs:\n        node-labels: "my-label=true"\n',
  'nodes[].kubeadmConfigPatches ClusterConfiguration':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  kubeadmConfigPatches:\n  - |\n    kind: ClusterConfiguration\n    apiServer:\n        extraArgs:\n          enable-admission-plugins: NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook\n',
  'nodes[].kubeadmConfigPatches JoinConfiguration':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n  kubeadmConfigPatches:\n  - |\n    kind: JoinConfiguration\n    nodeRegistration:\n      kubeletExtraArgs:\n        node-labels: "my-label2=true"\n- role: control-plane\n  kubeadmConfigPatches:\n  - |\n    kind: JoinConfiguration\n    nodeRegistration:\n      kubeletExtraArgs:\n        node-labels: "my-label3=true"\n',
};

// Go's encoding/json omits false booleans (`omitempty`), so a documented `false` is not echoed.
const withoutFalse = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutFalse);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== false)
        .map(([k, v]) => [k, withoutFalse(v)]),
    );
  return value;
};

describe('kind’s documented v1alpha4 fields are what the Go type accepts', () => {
  it.each(Object.entries(DOCUMENTED))(
    'accepts the documented %s and keeps every value',
    async (_field, snippet) => {
      const cluster = await decode(snippet, KIND_ONLY);
      expect(cluster).toMatchObject(withoutFalse(parse(snippet)) as object);
    },
  );

  it('gives the verdicts of kind’s own loader tests (encoding/testdata)', async () => {
    const kindDir = (
      await runCommand('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kind'], { cwd: toolDir })
    ).trim();
    const testdata = join(kindDir, 'pkg', 'internal', 'apis', 'config', 'encoding', 'testdata');
    const files = [
      ...(await readdir(join(testdata, 'v1alpha4'))).map((f) => join(testdata, 'v1alpha4', f)),
      ...(await readdir(testdata)).filter((f) => f.endsWith('.yaml')).map((f) => join(testdata, f)),
    ].sort();
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      // load_test.go: valid-*.yaml load, invalid-*.yaml do not.
      const { exitCode, stderr } = await reject(await readFile(file, 'utf8'), KIND_ONLY);
      const expected = basename(file).startsWith('valid-') ? 0 : 1;
      expect({ file: basename(file), exitCode }, stderr).toEqual({
        file: basename(file),
        exitCode: expected,
      });
    }
    const bogus = await reject(
      await readFile(join(testdata, 'v1alpha4', 'invalid-bogus-field.yaml'), 'utf8'),
      KIND_ONLY,
    );
    expect(bogus.stderr).toMatch(/field nOtAReaLFielD not found/);
  }, 120_000);
});
