// Is there a Go that can build the sim binaries? `go version` must work and report ≥ 1.26
// (kwok v0.8.0 and Kubernetes 1.36 both declare `go 1.26.0`).
import { describeError } from '../../errors/kartstream-error.ts';
import { runCommand } from '../../exec/run-command.ts';
import { atLeast, parseGoVersion } from './go-modules.ts';
import { findOnPath } from '../../exec/find-on-path.ts';

export const MIN_GO: readonly [number, number] = [1, 26];

export type GoStatus =
  | { ok: true; path: string; version: string }
  | { ok: false; path?: string; version?: string; reason: string };

/** Runs `go version` and says whether this Go can build the sim binaries. */
export const findGo = async (signal?: AbortSignal): Promise<GoStatus> => {
  const path = await findOnPath('go');
  if (!path) return { ok: false, reason: 'no `go` on PATH' };
  let output: string;
  try {
    // Generous timeout: with GOTOOLCHAIN set, `go version` may first fetch that toolchain.
    output = await runCommand(path, ['version'], { timeoutMs: 300_000, signal });
  } catch (error) {
    return { ok: false, path, reason: describeError(error).split('\n')[0] ?? 'go version failed' };
  }
  const parsed = parseGoVersion(output);
  if (!parsed) return { ok: false, path, reason: `cannot read the version in: ${output.trim()}` };
  const version = `go${parsed.join('.')}`;
  if (!atLeast(parsed, MIN_GO))
    return { ok: false, path, version, reason: `${version} is too old: Go ≥ ${MIN_GO.join('.')} is needed` };
  return { ok: true, path, version };
};
