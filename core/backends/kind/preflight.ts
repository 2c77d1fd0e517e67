// The kind preflight as pure logic: given what was found about the engine and the host, which
// findings there are, each with how to fix it. Errors stop `up`; warnings are shown. The rules
// follow kind's own (validateProvider in pkg/cluster/internal/create/create.go, known issues) and
// the kubelet's (Kubernetes ≥ 1.35 defaults failCgroupV1 to true).
import type { EngineProbe } from './engine-client.ts';
import type { EngineProvider } from './engine-endpoint.ts';
import { KIND_NODE_IMAGE } from './pins.ts';
import { engineDownFinding, GIB, type Finding, type KindNeeds } from './preflight-rules.ts';

export type { Finding, KindNeeds } from './preflight-rules.ts';
export { kindNeeds } from './preflight-rules.ts';

export interface PreflightInputs {
  probe: EngineProbe;
  /** The CLI kind drives the engine with, and where it is (undefined: not on PATH). */
  cli: { name: EngineProvider; path?: string };
  hostPlatform: NodeJS.Platform;
  /** /proc/sys/fs/inotify values on a Linux host; undefined elsewhere. */
  inotify?: { maxUserWatches?: number; maxUserInstances?: number };
  port: { address: string; port: number; free: boolean; problem?: string };
  /** Free space where the engine keeps images, when it can be measured from here. */
  disk?: { path: string; freeBytes: number };
  needs: KindNeeds;
}

/** kind's known-issues values for many nodes (known-issues.md, "Pod errors due to too many open files"). */
export const INOTIFY_WANT = { maxUserWatches: 524_288, maxUserInstances: 512 };
export const DISK_MIN_BYTES = 4 * GIB;
export const DISK_WANT_BYTES = 10 * GIB;

const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
const hasOption = (info: { SecurityOptions?: string[] }, name: string) =>
  (info.SecurityOptions ?? []).some((o) => o.split(',').includes(`name=${name}`));

/** Every finding, errors first. */
export const evaluatePreflight = (input: PreflightInputs): Finding[] => {
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);
  const { probe, needs } = input;
  if (!probe.ok) {
    add(engineDownFinding(probe));
  } else {
    const { info, version, endpoint } = probe;
    const podman =
      (version.Components ?? []).some((c) => /podman/i.test(c.Name)) || endpoint.provider === 'podman';
    const rootless = hasOption(info, 'rootless');
    const cgroup2 = info.CgroupVersion === '2';
    const engineName = podman
      ? `Podman ${version.Version ?? ''}`.trim()
      : `Docker ${info.ServerVersion ?? version.Version ?? ''}`.trim();
    add({
      id: 'engine',
      severity: 'ok',
      message: `${engineName} answers at ${endpoint.host} (${endpoint.source}), ${info.OperatingSystem ?? 'unknown OS'}`,
    });
    if (info.OSType && info.OSType !== 'linux')
      add({
        id: 'engine-os',
        severity: 'error',
        message: `the engine runs ${info.OSType} containers; kind nodes are Linux containers`,
        fix: 'switch Docker Desktop to Linux containers (tray menu: "Switch to Linux containers...")',
      });
    if (podman)
      add({
        id: 'podman',
        severity: 'warning',
        message:
          'the engine is Podman: KartStream runs kind with its Podman provider (KIND_EXPERIMENTAL_PROVIDER=podman), which kind calls experimental',
        fix: rootless
          ? 'for rootless Podman kind needs cgroup v2 with delegation: see https://kind.sigs.k8s.io/docs/user/rootless/ (run `systemd-run --scope --user -p Delegate=yes npx kartstream up` if create fails)'
          : 'nothing to do if create works; Docker is the tested engine',
      });
    if (!cgroup2 && rootless)
      add({
        id: 'cgroup',
        severity: 'error',
        message:
          'a rootless engine on cgroup v1: kind refuses it ("running kind with rootless provider requires cgroup v2")',
        fix: 'boot the host with cgroup v2 (kernel parameter systemd.unified_cgroup_hierarchy=1) and see https://kind.sigs.k8s.io/docs/user/rootless/',
      });
    else if (!cgroup2)
      add({
        id: 'cgroup',
        severity: 'error',
        message: `the engine uses cgroup v${info.CgroupVersion ?? '?'}: the kubelet of ${KIND_NODE_IMAGE.split('@')[0]} refuses cgroup v1 (failCgroupV1 defaults to true since Kubernetes 1.35)`,
        fix: 'move the host (or the Docker Desktop VM) to cgroup v2: kernel parameter systemd.unified_cgroup_hierarchy=1, or a distribution that uses cgroup v2 (all current ones do)',
      });
    else add({ id: 'cgroup', severity: 'ok', message: 'cgroup v2' });
    // As kind reads it: with CgroupDriver "none" the limit flags mean nothing (moby#42151).
    const limits =
      info.CgroupDriver !== 'none' &&
      info.MemoryLimit === true &&
      info.PidsLimit === true &&
      info.CPUShares === true;
    if (rootless && cgroup2 && !limits)
      add({
        id: 'rootless-delegation',
        severity: 'error',
        message:
          'a rootless engine without the memory, pids and cpu cgroup controllers: kind refuses it (it needs systemd "Delegate=yes")',
        fix: 'delegate the controllers to your user as https://kind.sigs.k8s.io/docs/user/rootless/ shows (a Delegate=yes drop-in for user@.service), then restart the engine',
      });
    else if (rootless)
      add({ id: 'rootless', severity: 'ok', message: 'rootless engine with cgroup v2 delegation' });
    const memory = info.MemTotal ?? 0;
    if (memory < needs.memoryBytes)
      add({
        id: 'memory',
        severity: 'error',
        message: `the engine has ${gib(memory)} of memory; ${needs.nodes} kind nodes with the shop and monitoring need about ${gib(needs.memoryBytes)}`,
        fix: /Docker Desktop/i.test(info.OperatingSystem ?? '')
          ? `give Docker Desktop more memory (Settings → Resources → Memory: at least ${Math.ceil(needs.memoryBytes / GIB)} GB), or use fewer nodes in infra/topology.yaml`
          : `free memory on the host or use fewer nodes per pool in infra/topology.yaml (or --backend sim, which needs no containers)`,
      });
    else
      add({
        id: 'memory',
        severity: 'ok',
        message: `${gib(memory)} of memory (about ${gib(needs.memoryBytes)} needed)`,
      });
    const cpus = info.NCPU ?? 0;
    if (cpus < needs.minCpus)
      add({
        id: 'cpus',
        severity: 'error',
        message: `the engine has ${cpus} CPUs; kind with ${needs.nodes} nodes needs at least ${needs.minCpus}`,
        fix: 'give the engine more CPUs (Docker Desktop: Settings → Resources → CPUs)',
      });
    else if (cpus < needs.wantCpus)
      add({
        id: 'cpus',
        severity: 'warning',
        message: `the engine has ${cpus} CPUs; ${needs.wantCpus} make the shop start much faster`,
        fix: 'give the engine more CPUs if you can (Docker Desktop: Settings → Resources → CPUs)',
      });
    else add({ id: 'cpus', severity: 'ok', message: `${cpus} CPUs` });
    if (!input.cli.path)
      add({
        id: 'cli',
        severity: 'error',
        message: `kind drives the engine through the \`${input.cli.name}\` command, which is not on PATH`,
        fix:
          input.cli.name === 'podman'
            ? 'install podman (e.g. apt-get install podman)'
            : 'install the docker CLI (e.g. apt-get install docker-ce-cli or docker.io; Docker Desktop includes it)',
      });
  }
  const inotify = input.inotify;
  if (input.hostPlatform === 'linux' && inotify) {
    const low = [
      ...((inotify.maxUserWatches ?? Infinity) < INOTIFY_WANT.maxUserWatches
        ? [`fs.inotify.max_user_watches=${inotify.maxUserWatches} (want ${INOTIFY_WANT.maxUserWatches})`]
        : []),
      ...((inotify.maxUserInstances ?? Infinity) < INOTIFY_WANT.maxUserInstances
        ? [
            `fs.inotify.max_user_instances=${inotify.maxUserInstances} (want ${INOTIFY_WANT.maxUserInstances})`,
          ]
        : []),
    ];
    if (low.length > 0)
      add({
        id: 'inotify',
        severity: 'warning',
        message: `inotify limits too low for ${needs.nodes} kind nodes (kind's known issue "too many open files"): ${low.join(', ')}`,
        fix: `sudo sysctl fs.inotify.max_user_watches=${INOTIFY_WANT.maxUserWatches} fs.inotify.max_user_instances=${INOTIFY_WANT.maxUserInstances} (and put both in /etc/sysctl.d/99-kind.conf to keep them)`,
      });
    else add({ id: 'inotify', severity: 'ok', message: 'inotify limits are enough' });
  }
  const { port } = input;
  if (!port.free)
    add({
      id: 'port',
      severity: 'error',
      message: `the shop's host port ${port.address}:${port.port} is taken${port.problem ? ` (${port.problem})` : ''}`,
      fix: `stop what listens there (\`ss -ltnp 'sport = :${port.port}'\` shows it), or change frontendAccess.hostPort in infra/topology.yaml`,
    });
  else add({ id: 'port', severity: 'ok', message: `${port.address}:${port.port} is free for the shop` });
  const disk = input.disk;
  if (disk && disk.freeBytes < DISK_MIN_BYTES)
    add({
      id: 'disk',
      severity: 'error',
      message: `only ${gib(disk.freeBytes)} free at ${disk.path}; the node image and the shop's images need about ${gib(DISK_WANT_BYTES)}`,
      fix: 'free space: `docker system prune` removes stopped containers and unused images',
    });
  else if (disk && disk.freeBytes < DISK_WANT_BYTES)
    add({
      id: 'disk',
      severity: 'warning',
      message: `${gib(disk.freeBytes)} free at ${disk.path}; about ${gib(DISK_WANT_BYTES)} is comfortable (the kubelet evicts pods under disk pressure)`,
      fix: '`docker system prune` frees space',
    });
  else if (disk) add({ id: 'disk', severity: 'ok', message: `${gib(disk.freeBytes)} free at ${disk.path}` });
  const order = { error: 0, warning: 1, ok: 2 } as const;
  return findings.sort((a, b) => order[a.severity] - order[b.severity]);
};
