import { describe, expect, it } from 'vitest';
import {
  atLeast,
  kubeLdflags,
  parseGodebug,
  parseGoDirective,
  parseGoVersion,
  parseStagingReplaces,
  renderEtcdGoMod,
  renderKubeWrapperGoMod,
  renderToolsGo,
  stagingVersion,
} from '../../../core/backends/sim/go-modules.ts';

// Shaped like k8s.io/kubernetes' go.mod: a replace block of ./staging dirs, plus forms a future
// go.mod might use (a single-line replace, a versioned left side, a non-staging replace, comments).
const UPSTREAM = `// This is a generated file. Do not edit directly.

module k8s.io/kubernetes

go 1.26.0

godebug default=go1.26

require (
	github.com/blang/semver/v4 v4.0.0
	k8s.io/api v0.0.0
	k8s.io/client-go v0.0.0 // indirect
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/apimachinery => ./staging/src/k8s.io/apimachinery // the machinery
	// k8s.io/commented-out => ./staging/src/k8s.io/commented-out
	k8s.io/streaming => ./staging/src/k8s.io/streaming
	github.com/some/fork => github.com/other/fork v1.2.3
)

replace k8s.io/client-go => ./staging/src/k8s.io/client-go

replace k8s.io/kubectl v0.0.0 => ./staging/src/k8s.io/kubectl

replace example.com/local => ../local
`;

describe('parseStagingReplaces', () => {
  it('lists every module replaced by ./staging, in block and single-line form, and nothing else', () => {
    expect(parseStagingReplaces(UPSTREAM)).toEqual([
      'k8s.io/api',
      'k8s.io/apimachinery',
      'k8s.io/streaming',
      'k8s.io/client-go',
      'k8s.io/kubectl',
    ]);
  });

  it('finds nothing in a go.mod without staging replaces', () => {
    expect(parseStagingReplaces('module x\n\ngo 1.26.0\n\nrequire y v1.0.0\n')).toEqual([]);
  });
});

describe('go.mod directives', () => {
  it('reads the go directive and godebug settings', () => {
    expect(parseGoDirective(UPSTREAM)).toBe('1.26.0');
    expect(parseGodebug(UPSTREAM)).toEqual(['default=go1.26']);
    expect(parseGodebug('module x\n\ngodebug (\n\tdefault=go1.25\n\tpanicnil=1\n)\n')).toEqual([
      'default=go1.25',
      'panicnil=1',
    ]);
  });
});

describe('renderKubeWrapperGoMod', () => {
  it('requires k8s.io/kubernetes and pins every staging module to the matching v0 version', () => {
    const goMod = renderKubeWrapperGoMod({ upstreamGoMod: UPSTREAM, kubeVersion: 'v1.36.3' });
    expect(goMod).toContain('\ngo 1.26.0\n');
    expect(goMod).toContain('\ngodebug default=go1.26\n');
    expect(goMod).toContain('\nrequire k8s.io/kubernetes v1.36.3\n');
    const block = /replace \(\n([\s\S]*?)\n\)/.exec(goMod)?.[1]?.split('\n');
    expect(block).toEqual([
      '\tk8s.io/api => k8s.io/api v0.36.3',
      '\tk8s.io/apimachinery => k8s.io/apimachinery v0.36.3',
      '\tk8s.io/streaming => k8s.io/streaming v0.36.3',
      '\tk8s.io/client-go => k8s.io/client-go v0.36.3',
      '\tk8s.io/kubectl => k8s.io/kubectl v0.36.3',
    ]);
    expect(goMod).not.toContain('./staging');
    expect(goMod).not.toContain('github.com/some/fork');
  });

  it('refuses a go.mod without staging replaces rather than writing a wrapper that cannot build', () => {
    expect(() => renderKubeWrapperGoMod({ upstreamGoMod: 'module x\n', kubeVersion: 'v1.36.3' })).toThrow(
      /no \.\/staging replace/,
    );
  });
});

describe('small renderers', () => {
  it('maps a Kubernetes version to its staging version', () => {
    expect(stagingVersion('v1.36.3')).toBe('v0.36.3');
    expect(stagingVersion('v1.9.10')).toBe('v0.9.10');
    expect(() => stagingVersion('1.36.3')).toThrow();
  });

  it('stamps the version into component-base', () => {
    expect(kubeLdflags('v1.36.3')).toBe(
      '-s -w -X k8s.io/component-base/version.gitVersion=v1.36.3 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=36',
    );
  });

  it('writes a tools.go behind the tools build tag', () => {
    const tools = renderToolsGo(['k8s.io/kubernetes/cmd/kubectl']);
    expect(tools.startsWith('//go:build tools\n\npackage tools\n')).toBe(true);
    expect(tools).toContain('\t_ "k8s.io/kubernetes/cmd/kubectl"\n');
  });

  it('writes the etcd wrapper go.mod', () => {
    expect(renderEtcdGoMod('v3.6.10')).toContain('\nrequire go.etcd.io/etcd/server/v3 v3.6.10\n');
  });
});

describe('parseGoVersion', () => {
  it('reads `go version` output', () => {
    expect(parseGoVersion('go version go1.26.8 linux/amd64')).toEqual([1, 26, 8]);
    expect(parseGoVersion('go version go1.26 linux/amd64')).toEqual([1, 26, 0]);
    expect(parseGoVersion('go version go1.19.8 linux/amd64')).toEqual([1, 19, 8]);
    expect(parseGoVersion('command not found')).toBeUndefined();
  });

  it('compares versions', () => {
    expect(atLeast([1, 26, 8], [1, 26])).toBe(true);
    expect(atLeast([1, 26, 0], [1, 26])).toBe(true);
    expect(atLeast([1, 25, 9], [1, 26])).toBe(false);
    expect(atLeast([2, 0, 0], [1, 26])).toBe(true);
  });
});
