// An environment for a `kartstream` child process on a machine without Go: PATH keeps only the
// directories that hold no `go`, and nothing points the installer at a toolchain, a kwok build or
// a proxy. Tests of the download path use it so a Go build can never stand in for a download.
import { expect } from 'vitest';
import { findOnPath, pathDirs } from '../../core/exec/find-on-path.ts';

/** `preferred`: use these PATH dirs when none holds go (a short PATH), else every dir without go. */
export const envWithoutGo = async (
  extra: NodeJS.ProcessEnv,
  preferred: readonly string[] = [],
): Promise<NodeJS.ProcessEnv> => {
  const withoutGo = async (dirs: readonly string[]) => {
    const keep: string[] = [];
    for (const d of dirs) if (!(await findOnPath('go', d))) keep.push(d);
    return keep;
  };
  const kept = await withoutGo(preferred);
  const path = (
    preferred.length > 0 && kept.length === preferred.length ? kept : await withoutGo(pathDirs())
  ).join(':');
  expect(await findOnPath('go', path), `no go on PATH ${path}`).toBeUndefined();
  const {
    KARTSTREAM_KWOK: _k,
    KARTSTREAM_KWOKCTL: _kc,
    GOTOOLCHAIN: _g,
    HTTPS_PROXY: _p,
    https_proxy: _q,
    ...rest
  } = process.env;
  return { ...rest, PATH: path, ...extra };
};
