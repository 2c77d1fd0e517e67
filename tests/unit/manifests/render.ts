// Shared helpers for the manifests tests: render with the real `kubectl kustomize`, parse the
// multi-document output, and small typed views of the objects the tests look at.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const manifestsDir = path.join(repoRoot, 'manifests');
export const topologyFile = path.join(repoRoot, 'infra', 'topology.yaml');
export const kubectl = process.env.KUBECTL || 'kubectl';

export const OVERLAYS = ['sim', 'kind', 'eks'] as const;
export type OverlayName = (typeof OVERLAYS)[number];

/** The placement the design asks for (DESIGN.md, "The shop and its placement"). */
export const EXPECTED_POOL: Readonly<Record<string, string>> = {
  frontend: 'frontend',
  adservice: 'backend',
  cartservice: 'backend',
  checkoutservice: 'backend',
  currencyservice: 'backend',
  emailservice: 'backend',
  paymentservice: 'backend',
  productcatalogservice: 'backend',
  recommendationservice: 'backend',
  shippingservice: 'backend',
  'redis-cart': 'database',
};
export const SHOP_WORKLOADS = Object.keys(EXPECTED_POOL).sort();

export const POOL_LABEL = 'kartstream.dev/pool';

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
}
export interface EnvVar {
  name: string;
  value?: string;
}
export interface Probe {
  grpc?: { port: number };
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
}
export interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
export interface PodSpec {
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    fsGroup?: number;
    seccompProfile?: { type?: string };
  };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: object }[];
}
export interface Workload extends K8sObject {
  spec: {
    selector: { matchLabels?: Record<string, string> };
    template: { metadata: { labels?: Record<string, string> }; spec: PodSpec };
  };
}
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}
export interface Service extends K8sObject {
  spec: { type?: string; selector?: Record<string, string>; ports: ServicePort[] };
}

/** Runs `kubectl kustomize <dir>` and returns every document of its output. */
export async function kustomize(dir: string): Promise<K8sObject[]> {
  const { stdout } = await execa(kubectl, ['kustomize', dir]);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.errors.length > 0) throw new Error(`kubectl kustomize ${dir}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value as K8sObject);
  }
  return objects;
}

export const renderOverlay = (name: OverlayName): Promise<K8sObject[]> =>
  kustomize(path.join(manifestsDir, 'overlays', name));

export interface TempKustomization {
  /** paths relative to manifests/ (e.g. 'base'), or file names written into the temp dir */
  resources?: string[];
  /** paths relative to manifests/ (e.g. 'components/placement') */
  components?: string[];
  namespace?: string;
  /** extra files written into the temp dir, by name */
  files?: Record<string, string>;
}

/** Builds an overlay in a fresh temp dir that points back into manifests/, and renders it. */
export async function renderTemp(k: TempKustomization): Promise<K8sObject[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kartstream-kustomize-'));
  try {
    const files = k.files ?? {};
    const ref = (p: string): string =>
      p in files ? p : path.relative(dir, path.join(manifestsDir, p)).split(path.sep).join('/');
    const lines = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization'];
    if (k.namespace) lines.push(`namespace: ${k.namespace}`);
    lines.push('resources:', ...(k.resources ?? []).map((r) => `  - ${ref(r)}`));
    if (k.components?.length) lines.push('components:', ...k.components.map((c) => `  - ${ref(c)}`));
    await writeFile(path.join(dir, 'kustomization.yaml'), lines.join('\n') + '\n');
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return await kustomize(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readYaml(file: string): Promise<unknown> {
  return parse(await readFile(file, 'utf8')) as unknown;
}

export interface TopologyPool {
  name: string;
  labels: Record<string, string>;
  taint: { key: string; value: string; effect: string };
}
export interface Topology {
  frontendAccess: { nodePort: number };
  pools: TopologyPool[];
}
export const loadTopology = async (): Promise<Topology> => (await readYaml(topologyFile)) as Topology;

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);
export const workloads = (objs: K8sObject[]): Workload[] =>
  objs.filter((o) => WORKLOAD_KINDS.has(o.kind)) as Workload[];
export const deployments = (objs: K8sObject[]): Workload[] =>
  objs.filter((o) => o.kind === 'Deployment') as Workload[];
export const services = (objs: K8sObject[]): Service[] => objs.filter((o) => o.kind === 'Service') as Service[];
export const named = <T extends K8sObject>(objs: T[], name: string): T => {
  const found = objs.find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no object named ${name}`);
  return found;
};
export const allContainers = (w: Workload): Container[] => [
  ...(w.spec.template.spec.initContainers ?? []),
  ...w.spec.template.spec.containers,
];

/** Kubernetes quantity to a number (cores for CPU, bytes for memory). Throws on what it cannot read. */
export function quantity(q: string | number | undefined): number {
  if (typeof q === 'number') return q;
  if (q === undefined) throw new Error('missing quantity');
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`unreadable quantity ${q}`);
  const factor: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (m[2] ? (factor[m[2]] ?? NaN) : 1);
}
