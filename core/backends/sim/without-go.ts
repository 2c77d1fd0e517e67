// What to tell a user whose machine has no usable Go: which binaries are missing, where they
// were looked for, and where the official release binaries are. KartStream does not download
// them itself (its own machines cannot reach those URLs, so such code could not be tested).
import { join } from 'node:path';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import {
  componentOf,
  describeMissing,
  SIM_COMPONENT_NAMES,
  SIM_COMPONENTS,
  simComponentDir,
  type MissingBinary,
  type SimComponent,
} from './binaries.ts';
import { atLeast, parseGoVersion } from './go-modules.ts';
import { MIN_GO, type GoStatus } from './go-toolchain.ts';

const platform = () => ({
  os: process.platform === 'darwin' ? 'darwin' : 'linux',
  arch: process.arch === 'arm64' ? 'arm64' : 'amd64',
});

/** Where each component's official release binaries are, for a machine with internet access. */
export const releaseHint = (component: SimComponent): string => {
  const { os, arch } = platform();
  const { version, binaries } = SIM_COMPONENTS[component];
  const dir = simComponentDir(component);
  if (component === 'kwok') {
    const base = `https://github.com/kubernetes-sigs/kwok/releases/download/${version}`;
    return `kwok, kwokctl: download ${base}/kwok-${os}-${arch} and ${base}/kwokctl-${os}-${arch}, save them as ${join(dir, 'kwok')} and ${join(dir, 'kwokctl')} and chmod +x them (or point KARTSTREAM_KWOK / KARTSTREAM_KWOKCTL at them)`;
  }
  if (component === 'kubernetes') {
    const base = `https://dl.k8s.io/release/${version}/bin/${os}/${arch}`;
    const linuxOnly = os === 'linux' ? '' : ' (dl.k8s.io has the control-plane binaries for linux only)';
    return `${binaries.join(', ')}: download each from ${base}/<name> into ${dir}/ and chmod +x them${linuxOnly}`;
  }
  const archive = `etcd-${version}-${os}-${arch}.${os === 'darwin' ? 'zip' : 'tar.gz'}`;
  return `etcd: download https://github.com/etcd-io/etcd/releases/download/${version}/${archive} and put the etcd binary from it at ${join(dir, 'etcd')}`;
};

/** The 'missing-binary' error for "some binaries are missing and there is no Go to build them". */
export const noGoError = (
  missing: readonly MissingBinary[],
  go: Extract<GoStatus, { ok: false }>,
): KartStreamError => {
  const components = SIM_COMPONENT_NAMES.filter((c) => missing.some((m) => componentOf(m.name) === c));
  const names = missing.map((m) => m.name).join(', ');
  const parsed = go.version ? parseGoVersion(go.version) : undefined;
  const canSwitch = parsed !== undefined && atLeast(parsed, [1, 21]);
  const minGo = MIN_GO.join('.');
  return new KartStreamError(
    'missing-binary',
    `failed to install the sim binaries: ${missing.length} missing (${names}) and no usable Go to build them`,
    {
      details: [
        ...describeMissing(missing),
        `go: ${go.reason}${go.path ? ` (${go.path})` : ''}`,
        `without Go, on a machine with internet access (kartstream does not download these itself; untested here):`,
        ...components.map((c) => `  ${releaseHint(c)}`),
      ],
      fix: canSwitch
        ? `rerun with a newer toolchain fetched by Go itself: GOTOOLCHAIN=go${minGo}.0 npx kartstream sim install; or install Go ≥ ${minGo} from your distro or https://go.dev/dl/ and rerun: npx kartstream sim install`
        : `install Go ≥ ${minGo} (from your distro if it is new enough, or https://go.dev/dl/) and rerun: npx kartstream sim install; or download the release binaries listed above into the paths named`,
    },
  );
};
