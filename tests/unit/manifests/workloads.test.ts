import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXPECTED_POOL,
  OVERLAYS,
  POOL_LABEL,
  allContainers,
  deployments,
  named,
  quantity,
  renderOverlay,
  renderTemp,
  services,
  type Container,
  type K8sObject,
  type Probe,
  type Workload,
} from './render.ts';

// Every rendering the shop ships in: the three overlays (sim has the loadgenerator), and the base
// with the optional loadgenerator component, as a kind or EKS user would add it.
const RENDERS = [...OVERLAYS, 'base+loadgenerator'] as const;
type RenderName = (typeof RENDERS)[number];
const rendered = {} as Record<RenderName, K8sObject[]>;

beforeAll(async () => {
  for (const o of OVERLAYS) rendered[o] = await renderOverlay(o);
  rendered['base+loadgenerator'] = await renderTemp({
    namespace: 'shop',
    resources: ['base'],
    components: ['components/loadgenerator', 'components/placement'],
  });
}, 60_000);

const BOUTIQUE_REGISTRY = 'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/';
const ADDR_VAR = /^(?:[A-Z_]+_SERVICE_ADDR|REDIS_ADDR|FRONTEND_ADDR)$/;
// Required by the v0.10 frontend but served by nothing unless the Google Cloud assistant is added.
const UNSERVED_ADDR = 'SHOPPING_ASSISTANT_SERVICE_ADDR';

/** The tag of an image reference, or undefined when it has none (`redis`, `redis@sha256:...`). */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  return colon === -1 ? undefined : lastPart.slice(colon + 1);
}

const where = (w: Workload, c?: Container): string => `${w.metadata.name}${c ? `/${c.name}` : ''}`;
const envOf = (c: Container, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;

function probePort(p: Probe): number | string | undefined {
  return p.grpc?.port ?? p.httpGet?.port ?? p.tcpSocket?.port;
}

describe.each(RENDERS)('the workloads of %s', (r) => {
  const deps = (): Workload[] => deployments(rendered[r]);

  it('every container has an image pinned to a version tag, never latest or none', () => {
    for (const w of deps()) {
      for (const c of allContainers(w)) {
        expect(c.image, where(w, c)).toBeTypeOf('string');
        const tag = imageTag(c.image as string);
        expect(tag, `${where(w, c)}: ${c.image}`).toBeDefined();
        expect(tag, `${where(w, c)}: ${c.image}`).not.toBe('latest');
        // A floating name such as `alpine` is no pin either: a pinned tag names a version.
        expect(tag, `${where(w, c)}: ${c.image}`).toMatch(/\d/);
      }
    }
  });

  it('every Online Boutique image is its own service image, all at one v0.10.x tag', () => {
    const tags = new Set<string>();
    for (const w of deps().filter((d) => d.metadata.name !== 'redis-cart')) {
      const server = w.spec.template.spec.containers[0] as Container;
      expect(server.image, where(w)).toMatch(new RegExp(`^${BOUTIQUE_REGISTRY}${w.metadata.name}:`));
      tags.add(imageTag(server.image as string) as string);
    }
    expect(tags.size).toBe(1);
    expect([...tags][0]).toMatch(/^v0\.10\.\d+$/);
  });

  it('every container has CPU and memory requests and limits, each limit at least its request', () => {
    for (const w of deps()) {
      for (const c of allContainers(w)) {
        for (const res of ['cpu', 'memory']) {
          const req = c.resources?.requests?.[res];
          const lim = c.resources?.limits?.[res];
          expect(req, `${where(w, c)} requests.${res}`).toBeDefined();
          expect(lim, `${where(w, c)} limits.${res}`).toBeDefined();
          expect(quantity(lim), `${where(w, c)} ${res}`).toBeGreaterThanOrEqual(quantity(req));
        }
      }
    }
  });

  it('every pod runs as non-root user 1000 with RuntimeDefault seccomp', () => {
    for (const w of deps()) {
      const sc = w.spec.template.spec.securityContext;
      expect(sc, where(w)).toEqual({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  it('every container has a read-only root filesystem, runs as non-root, cannot escalate and drops ALL capabilities', () => {
    for (const w of deps()) {
      const podNonRoot = w.spec.template.spec.securityContext?.runAsNonRoot;
      for (const c of allContainers(w)) {
        const sc = c.securityContext;
        expect(sc?.readOnlyRootFilesystem, where(w, c)).toBe(true);
        expect(sc?.runAsNonRoot ?? podNonRoot, where(w, c)).toBe(true);
        expect(sc?.allowPrivilegeEscalation, where(w, c)).toBe(false);
        expect(sc?.privileged, where(w, c)).toBe(false);
        expect(sc?.capabilities?.drop, where(w, c)).toContain('ALL');
      }
    }
  });

  it('every Deployment uses its own ServiceAccount, which exists in the output', () => {
    const accounts = rendered[r].filter((o) => o.kind === 'ServiceAccount');
    const used = deps().map((w) => w.spec.template.spec.serviceAccountName);
    expect(new Set(used).size).toBe(used.length);
    for (const w of deps()) {
      const sa = w.spec.template.spec.serviceAccountName;
      expect(sa, where(w)).toBe(w.metadata.name);
      const account = accounts.find((a) => a.metadata.name === sa);
      expect(account, `ServiceAccount ${sa}`).toBeDefined();
      expect(account?.metadata.namespace).toBe(w.metadata.namespace);
    }
  });

  it('every Deployment, its pod template and its Services carry the app, name, part-of and tier labels', () => {
    for (const w of deps()) {
      const name = w.metadata.name;
      const pool = name === 'loadgenerator' ? 'frontend' : EXPECTED_POOL[name];
      const labels = {
        app: name,
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/part-of': 'kartstream',
        [POOL_LABEL]: pool,
      };
      expect(w.metadata.labels, `${name} Deployment`).toMatchObject(labels);
      expect(w.spec.template.metadata.labels, `${name} pod template`).toMatchObject(labels);
      expect(w.spec.selector.matchLabels, `${name} selector`).toEqual({ app: name });
      for (const svc of services(rendered[r]).filter((s) => s.spec.selector?.app === name)) {
        expect(svc.metadata.labels, `Service ${svc.metadata.name}`).toMatchObject(labels);
      }
    }
  });

  it('every Service selects on app only and forwards to a port the selected pods listen on', () => {
    for (const svc of services(rendered[r])) {
      const selector = svc.spec.selector ?? {};
      expect(Object.keys(selector), svc.metadata.name).toEqual(['app']);
      const targets = deps().filter((w) => w.spec.template.metadata.labels?.app === selector.app);
      expect(targets, `Deployments behind ${svc.metadata.name}`).toHaveLength(1);
      const listening = (targets[0] as Workload).spec.template.spec.containers.flatMap((c) =>
        (c.ports ?? []).map((p) => p.containerPort),
      );
      for (const port of svc.spec.ports) {
        expect(listening, `${svc.metadata.name}:${port.port}`).toContain(port.targetPort ?? port.port);
      }
    }
  });

  it('every *_SERVICE_ADDR and REDIS_ADDR points at a Service that exists, on a port it serves', () => {
    const svcs = services(rendered[r]);
    const callers = new Set<string>();
    for (const w of deps()) {
      for (const c of allContainers(w)) {
        for (const e of c.env ?? []) {
          if (!ADDR_VAR.test(e.name) || e.name === UNSERVED_ADDR) continue;
          const m = /^([a-z0-9-]+):(\d+)$/.exec(e.value ?? '');
          expect(m, `${where(w, c)} ${e.name}=${e.value}`).not.toBeNull();
          const [, host, port] = m as RegExpExecArray;
          const svc = svcs.find((s) => s.metadata.name === host);
          expect(svc, `${where(w, c)} ${e.name}: no Service ${host}`).toBeDefined();
          expect(
            svc?.spec.ports.map((p) => p.port),
            `${where(w, c)} ${e.name}: Service ${host} has no port ${port}`,
          ).toContain(Number(port));
          callers.add(w.metadata.name);
        }
      }
    }
    // The callers of the shop's call graph all have their wiring checked above.
    for (const caller of ['frontend', 'checkoutservice', 'recommendationservice', 'cartservice']) {
      expect(callers, caller).toContain(caller);
    }
    if (r === 'sim' || r === 'base+loadgenerator') expect(callers).toContain('loadgenerator');
  });

  it('frontend has SHOPPING_ASSISTANT_SERVICE_ADDR set, without which the v0.10 frontend exits', () => {
    const server = named(deps(), 'frontend').spec.template.spec.containers[0] as Container;
    expect(envOf(server, UNSERVED_ADDR)).toMatch(/^[a-z0-9-]+:\d+$/);
  });

  it('every shop container has readiness and liveness probes of the upstream kind on a port it listens on', () => {
    for (const w of deps().filter((d) => d.metadata.name in EXPECTED_POOL)) {
      for (const c of w.spec.template.spec.containers) {
        const ports = (c.ports ?? []).map((p) => p.containerPort);
        for (const probe of [c.readinessProbe, c.livenessProbe]) {
          expect(probe, where(w, c)).toBeDefined();
          const p = probe as Probe;
          if (w.metadata.name === 'frontend') expect(p.httpGet?.path, where(w, c)).toBe('/_healthz');
          else if (w.metadata.name === 'redis-cart') expect(p.tcpSocket, where(w, c)).toBeDefined();
          else expect(p.grpc, where(w, c)).toBeDefined();
          expect(ports, where(w, c)).toContain(probePort(p));
        }
      }
    }
  });

  it('redis-cart keeps its data in an emptyDir mounted at /data', () => {
    const redis = named(deps(), 'redis-cart').spec.template.spec;
    const mount = redis.containers[0]?.volumeMounts?.find((m) => m.mountPath === '/data');
    expect(mount).toBeDefined();
    expect(redis.volumes?.find((v) => v.name === mount?.name)?.emptyDir).toBeDefined();
  });
});
