// Pure text work for the Go builds: reading k8s.io/kubernetes' go.mod and writing the throwaway
// wrapper modules that `go build` the control plane and etcd from the Go module proxy.

/** A go.mod's directives as [verb, rest] pairs, block forms flattened, comments dropped. */
const directives = (goMod: string): [string, string][] => {
  const out: [string, string][] = [];
  let block: string | undefined;
  for (const raw of goMod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (block) {
      if (line === ')') block = undefined;
      else out.push([block, line]);
      continue;
    }
    const match = /^(\w+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, verb = '', rest = ''] = match;
    if (rest === '(') block = verb;
    else out.push([verb, rest]);
  }
  return out;
};

/** Module paths that a go.mod replaces with `./staging/...` (k8s.io/kubernetes' staging repos). */
export const parseStagingReplaces = (goMod: string): string[] =>
  directives(goMod)
    .filter(([verb]) => verb === 'replace')
    .map(([, rest]) => /^(\S+)(?:\s+\S+)?\s+=>\s+(\S+)\s*$/.exec(rest))
    .filter((m): m is RegExpExecArray => m !== null && /^\.\/staging\//.test(m[2] ?? ''))
    .map((m) => m[1] as string);

/** The `godebug` settings of a go.mod, e.g. ["default=go1.26"]. */
export const parseGodebug = (goMod: string): string[] =>
  directives(goMod)
    .filter(([verb]) => verb === 'godebug')
    .map(([, rest]) => rest);

/** The `go` directive of a go.mod, e.g. "1.26.0". */
export const parseGoDirective = (goMod: string): string | undefined =>
  directives(goMod).find(([verb]) => verb === 'go')?.[1];

/** The staging-module version that goes with a Kubernetes version: v1.36.3 → v0.36.3. */
export const stagingVersion = (kubeVersion: string): string => {
  const match = /^v1\.(\d+\.\d+)$/.exec(kubeVersion);
  if (!match) throw new Error(`not a Kubernetes v1.x.y version: ${kubeVersion}`);
  return `v0.${match[1]}`;
};

/** "go version go1.26.8 linux/amd64" → [1, 26, 8]; undefined when it is not that shape. */
export const parseGoVersion = (output: string): [number, number, number] | undefined => {
  const match = /\bgo(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
};

export const atLeast = (have: readonly number[], want: readonly number[]): boolean => {
  for (let i = 0; i < want.length; i += 1) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
};

export interface KubeWrapperInput {
  /** k8s.io/kubernetes' own go.mod text. */
  upstreamGoMod: string;
  kubeVersion: string;
}

/** go.mod of the wrapper module: requires k8s.io/kubernetes and pins each staging module. */
export const renderKubeWrapperGoMod = ({ upstreamGoMod, kubeVersion }: KubeWrapperInput): string => {
  const replaces = parseStagingReplaces(upstreamGoMod);
  if (replaces.length === 0)
    throw new Error('no ./staging replace directives found in the k8s.io/kubernetes go.mod');
  const pinned = stagingVersion(kubeVersion);
  const godebug = parseGodebug(upstreamGoMod);
  return [
    'module kartstream.local/sim-kubernetes',
    '',
    `go ${parseGoDirective(upstreamGoMod) ?? '1.26.0'}`,
    '',
    ...godebug.map((setting) => `godebug ${setting}`),
    ...(godebug.length > 0 ? [''] : []),
    `require k8s.io/kubernetes ${kubeVersion}`,
    '',
    'replace (',
    ...replaces.map((module) => `\t${module} => ${module} ${pinned}`),
    ')',
    '',
  ].join('\n');
};

/** A `//go:build tools` file importing the given main packages, so `go mod tidy` keeps them. */
export const renderToolsGo = (packages: readonly string[]): string =>
  [
    '//go:build tools',
    '',
    'package tools',
    '',
    'import (',
    ...packages.map((p) => `\t_ "${p}"`),
    ')',
    '',
  ].join('\n');

/** The -ldflags that stamp a Kubernetes version into component-base (what `--version` prints). */
export const kubeLdflags = (kubeVersion: string): string => {
  const [major, minor] = kubeVersion.replace(/^v/, '').split('.');
  const v = 'k8s.io/component-base/version';
  return `-s -w -X ${v}.gitVersion=${kubeVersion} -X ${v}.gitMajor=${major} -X ${v}.gitMinor=${minor}`;
};

/** The -ldflags that stamp metrics-server's version (its Makefile sets client-go's version vars). */
export const metricsServerLdflags = (version: string): string =>
  `-s -w -X k8s.io/client-go/pkg/version.gitVersion=${version}`;

export const renderEtcdGoMod = (etcdVersion: string, goDirective = '1.26.0'): string =>
  [
    'module kartstream.local/sim-etcd',
    '',
    `go ${goDirective}`,
    '',
    `require go.etcd.io/etcd/server/v3 ${etcdVersion}`,
    '',
  ].join('\n');

/** The etcd main: exactly what upstream's server/main.go does. */
export const ETCD_MAIN_GO = `package main

import (
\t"os"

\t"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
\tetcdmain.Main(os.Args)
}
`;
