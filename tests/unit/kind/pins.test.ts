// The pins hold to kind's own source: the node image is the digest kind v0.33.0 names as its
// default (pkg/apis/config/defaults/image.go, read from the Go module cache), and the strict
// config check (tests/tools/kind-config-check) decodes with the same kind version.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../core/exec/run-command.ts';
import { KIND_MODULE, KIND_NODE_IMAGE, KIND_VERSION } from '../../../core/backends/kind/pins.ts';
import { goInstallKindArgs } from '../../../core/backends/kind/install.ts';
import { REPO } from './helpers.ts';

describe('kind pins', () => {
  it('the node image is kind’s own default for the pinned version, by digest', async () => {
    const download = JSON.parse(
      await runCommand('go', ['mod', 'download', '-json', `${KIND_MODULE}@${KIND_VERSION}`], {
        env: { GOFLAGS: '-mod=mod' },
        timeoutMs: 300_000,
      }),
    ) as { Dir: string };
    const source = await readFile(
      join(download.Dir, 'pkg', 'apis', 'config', 'defaults', 'image.go'),
      'utf8',
    );
    expect(/const Image = "([^"]+)"/.exec(source)?.[1]).toBe(KIND_NODE_IMAGE);
    expect(KIND_NODE_IMAGE).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  }, 300_000);

  it('the strict config check is built against the same kind version', async () => {
    const goMod = await readFile(join(REPO, 'tests', 'tools', 'kind-config-check', 'go.mod'), 'utf8');
    expect(goMod).toMatch(new RegExp(`sigs\\.k8s\\.io/kind ${KIND_VERSION.replace(/\./g, '\\.')}\\b`));
  });

  it('kind install runs go install of exactly that module version', () => {
    expect(goInstallKindArgs()).toEqual(['install', 'sigs.k8s.io/kind@v0.33.0']);
  });
});
