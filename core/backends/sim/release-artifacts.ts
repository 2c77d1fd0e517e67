// Where each sim binary's official release artifact is, and how it is checked, per platform:
// Kubernetes from dl.k8s.io (`<name>.sha256` beside each file, a bare hex digest), etcd's
// release archive (checked against the release's SHA256SUMS), kwok's raw binaries. kwok's
// releases publish no checksum file that we could find, so its digests are pinned here (or given
// in KARTSTREAM_KWOK_SHA256 / KARTSTREAM_KWOKCTL_SHA256); without one, kwok is built with Go.
// metrics-server publishes no binaries at all: it is always built with Go.
import { SIM_COMPONENTS, type SimBinaryName, componentOf } from './binaries.ts';

export interface SimPlatform {
  os: string;
  arch: string;
}

/** This machine in release-asset terms (linux/darwin, amd64/arm64), or undefined if no release fits. */
export const simPlatform = (
  platform: string = process.platform,
  arch: string = process.arch,
): SimPlatform | undefined => {
  const os = { linux: 'linux', darwin: 'darwin' }[platform];
  const cpu = { x64: 'amd64', arm64: 'arm64' }[arch];
  return os && cpu ? { os, arch: cpu } : undefined;
};

export type ChecksumSource =
  /** A file whose text holds the digest: `<hex>` alone, or `<hex>  <file>` lines. */
  | { type: 'file'; url: string; file: string }
  /** A digest known in advance: pinned in this file or given in an env var. */
  | { type: 'pinned'; sha256: string; from: string };

export interface ReleaseArtifact {
  /** The origin URL (a mirror maps it, see core/download/mirror.ts). */
  url: string;
  /** The file name it is saved under. */
  file: string;
  checksum: ChecksumSource;
  /** For an archive: the path of each binary inside it. */
  members?: Partial<Record<SimBinaryName, string>>;
  provides: SimBinaryName[];
}

export type ReleaseLookup = { ok: true; artifact: ReleaseArtifact } | { ok: false; reason: string };

// kwok v0.8.0's release assets, by `<name>-<os>-<arch>`. Taken from a public third-party pin list
// (not from kwok, which publishes none); a wrong value fails closed: the download is refused.
const KWOK_PINNED_SHA256: Record<string, string> = {
  'kwok-linux-amd64': 'f5a4385a2ae1b9dd7f8acae18e002a75c0ebba124ae9d7259aa8dadb50711f46',
  'kwok-darwin-arm64': '69a064ec98d37844d9d742b5b28ff57825659a983ccc3e208daa6948b94d64ba',
  'kwokctl-linux-amd64': 'd5743166c657283d6e827c7c4c20cacfd9009fd94830f06718ca7b2c7099461f',
  'kwokctl-darwin-arm64': '9323a59adb9c27854bd2a76652ad00258bcbb68acc40aba0dc21e362b67b7d6a',
};

/** Env vars that give the sha256 of a kwok release asset for this machine. */
export const KWOK_SHA256_ENV: Partial<Record<SimBinaryName, string>> = {
  kwok: 'KARTSTREAM_KWOK_SHA256',
  kwokctl: 'KARTSTREAM_KWOKCTL_SHA256',
};

const CONTROL_PLANE: readonly SimBinaryName[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
];

/** The release artifact that provides `name` on `platform`, or why there is none. */
export const releaseArtifact = (
  name: SimBinaryName,
  platform: SimPlatform | undefined = simPlatform(),
  env: NodeJS.ProcessEnv = process.env,
): ReleaseLookup => {
  const component = componentOf(name);
  const { version } = SIM_COMPONENTS[component];
  if (!platform)
    return {
      ok: false,
      reason: `no ${component} ${version} release for ${process.platform}/${process.arch}`,
    };
  const { os, arch } = platform;
  if (component === 'metrics-server')
    return {
      ok: false,
      reason: `metrics-server ${version} publishes no release binaries (only its manifests); it is built with Go`,
    };
  if (component === 'kubernetes') {
    if (os !== 'linux' && CONTROL_PLANE.includes(name))
      return { ok: false, reason: `dl.k8s.io publishes ${name} for linux only` };
    const url = `https://dl.k8s.io/release/${version}/bin/${os}/${arch}/${name}`;
    return {
      ok: true,
      artifact: {
        url,
        file: name,
        checksum: { type: 'file', url: `${url}.sha256`, file: name },
        provides: [name],
      },
    };
  }
  if (component === 'etcd') {
    const base = `etcd-${version}-${os}-${arch}`;
    const file = `${base}.${os === 'darwin' ? 'zip' : 'tar.gz'}`;
    const release = `https://github.com/etcd-io/etcd/releases/download/${version}`;
    return {
      ok: true,
      artifact: {
        url: `${release}/${file}`,
        file,
        checksum: { type: 'file', url: `${release}/SHA256SUMS`, file },
        members: { etcd: `${base}/etcd` },
        provides: ['etcd'],
      },
    };
  }
  const asset = `${name}-${os}-${arch}`;
  const envName = KWOK_SHA256_ENV[name] ?? '';
  const given = env[envName]?.trim().toLowerCase();
  const pinned = given || KWOK_PINNED_SHA256[asset];
  if (!pinned || !/^[0-9a-f]{64}$/.test(pinned))
    return {
      ok: false,
      reason: `kwok ${version} publishes no checksum file and no sha256 is pinned for ${asset} (set ${envName} to its sha256 to download it)`,
    };
  return {
    ok: true,
    artifact: {
      url: `https://github.com/kubernetes-sigs/kwok/releases/download/${version}/${asset}`,
      file: asset,
      checksum: { type: 'pinned', sha256: pinned, from: given ? envName : 'pinned in KartStream' },
      provides: [name],
    },
  };
};
