// What to tell a user when some sim binaries can be neither downloaded nor built: which are
// missing, where they were looked for, why no release download fits (e.g. dl.k8s.io has no macOS
// control plane) or why the download failed, and the ways out (Go, a bundle, the kind backend).
import { describeError, KartStreamError } from '../../errors/kartstream-error.ts';
import { describeMissing, type MissingBinary, type SimBinaryName } from './binaries.ts';
import { atLeast, parseGoVersion } from './go-modules.ts';
import { MIN_GO, type GoStatus } from './go-toolchain.ts';

export interface NoGoContext {
  /** Binaries that have no release download on this platform, and why. */
  unavailable?: { name: SimBinaryName; reason: string }[];
  /** The download that failed, if one was tried. */
  downloadError?: unknown;
}

const OTHER_WAYS = [
  'or, on a machine that has the binaries: npx kartstream sim bundle --out sim.tar.gz, then here: npx kartstream sim import sim.tar.gz',
  'or use the kind backend (needs Docker): npx kartstream kind install',
];

/** The error for "some binaries are missing, no download got them, and there is no Go to build them". */
export const noGoError = (
  missing: readonly MissingBinary[],
  go: Extract<GoStatus, { ok: false }>,
  context: NoGoContext = {},
): KartStreamError => {
  const names = missing.map((m) => m.name).join(', ');
  const parsed = go.version ? parseGoVersion(go.version) : undefined;
  const canSwitch = parsed !== undefined && atLeast(parsed, [1, 21]);
  const minGo = MIN_GO.join('.');
  const download = context.downloadError ? describeError(context.downloadError).split('\n') : [];
  const goFix = canSwitch
    ? `rerun with a newer toolchain fetched by Go itself: GOTOOLCHAIN=go${minGo}.0 npx kartstream sim install; or install Go ≥ ${minGo} from your distro or https://go.dev/dl/ and rerun: npx kartstream sim install`
    : `install Go ≥ ${minGo} (from your distro if it is new enough, or https://go.dev/dl/) and rerun: npx kartstream sim install`;
  return new KartStreamError(
    context.downloadError ? 'install-failed' : 'missing-binary',
    context.downloadError
      ? `failed to install the sim binaries: the download failed (${download[0] ?? 'unknown error'}) and there is no usable Go to build them`
      : `failed to install the sim binaries: ${missing.length} missing (${names}) and no usable Go to build them`,
    {
      cause: context.downloadError,
      details: [
        ...describeMissing(missing),
        ...(context.unavailable ?? []).map((u) => `no release download for ${u.name}: ${u.reason}`),
        ...download.slice(1).map((line) => `download: ${line.trim()}`),
        `go: ${go.reason}${go.path ? ` (${go.path})` : ''}`,
      ],
      fix: [
        ...(context.downloadError
          ? ['fix the download (see above) and rerun: npx kartstream sim install']
          : []),
        goFix,
        ...OTHER_WAYS,
      ].join('; '),
    },
  );
};
