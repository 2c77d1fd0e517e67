// The CLI runs from a bundle of the engine built on demand (bin/cli-bundle.js). On a copy of the
// checkout (its own dist/, the same node_modules): the first command builds it, later commands
// reuse it, an edit to an engine file is never run stale, the engine still finds the checkout's
// files, and a checkout where the bundle cannot be written still runs, from the sources.
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers/lab-env.ts';

describe('the CLI bundle', () => {
  const copy = mkdtempSync(join(tmpdir(), 'kartstream-cli-bundle-'));
  const home = mkdtempSync(join(tmpdir(), 'kartstream-cli-bundle-home-'));
  const dist = join(copy, 'dist', 'cli');
  const run = (args: string[], env: Record<string, string> = {}) =>
    execa(process.execPath, [join(copy, 'bin', 'kartstream.js'), ...args], {
      cwd: copy,
      env: { KARTSTREAM_HOME: home, ...env },
      reject: false,
      timeout: 120_000,
    });
  const builds = () => (existsSync(dist) ? readdirSync(dist).filter((name) => !name.includes('.')) : []);
  const manifest = () =>
    JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
      build: string;
      inputs: Record<string, string>;
    };

  beforeAll(() => {
    for (const part of ['bin', 'core', 'scenarios', 'manifests', 'infra', 'gamedays', 'package.json'])
      cpSync(join(REPO, part), join(copy, part), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'));
  });
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('is built by the first command, made from the engine files, and reused by the next', async () => {
    const first = await run(['--help']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain('Learn and rehearse running a real microservice shop');
    expect(builds()).toHaveLength(1);
    const { build, inputs } = manifest();
    expect(build).toBe(builds()[0]);
    expect(Object.keys(inputs)).toContain('core/cli/main.ts');
    expect(Object.keys(inputs).every((file) => file.startsWith('core/'))).toBe(true);

    const second = await run(['--help']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(builds()).toEqual([build]);
  });

  it('finds the scenarios of the checkout it runs from', async () => {
    // import.meta.url is the source file's in the bundle: the catalog is this copy's scenarios/.
    const failover = readFileSync(join(copy, 'scenarios', 'failover.yaml'), 'utf8');
    writeFileSync(
      join(copy, 'scenarios', 'failover-copy.yaml'),
      failover.replace(/^id: failover$/m, 'id: failover-copy'),
    );
    const list = await run(['scenario', 'list', '-o', 'json']);
    expect(list.exitCode, list.stderr).toBe(0);
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['failover', 'failover-copy']));
  });

  it('is rebuilt when the checkout is moved, and finds the files where they are now', async () => {
    const moved = mkdtempSync(join(tmpdir(), 'kartstream-cli-bundle-moved-'));
    try {
      cpSync(copy, moved, { recursive: true, verbatimSymlinks: true });
      const failover = readFileSync(join(moved, 'scenarios', 'failover.yaml'), 'utf8');
      writeFileSync(
        join(moved, 'scenarios', 'failover-moved.yaml'),
        failover.replace(/^id: failover$/m, 'id: failover-moved'),
      );
      const list = await execa(
        process.execPath,
        [join(moved, 'bin', 'kartstream.js'), 'scenario', 'list', '-o', 'json'],
        {
          cwd: moved,
          env: { KARTSTREAM_HOME: home },
          reject: false,
        },
      );
      expect(list.exitCode, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id)).toContain('failover-moved');
    } finally {
      rmSync(moved, { recursive: true, force: true });
    }
  });

  it('is rebuilt after an engine file changes, and runs the change', async () => {
    const before = manifest().build;
    const main = join(copy, 'core', 'cli', 'main.ts');
    writeFileSync(
      main,
      readFileSync(main, 'utf8').replace(
        'Learn and rehearse running a real microservice shop on Kubernetes.',
        'An edited description.',
      ),
    );
    const edited = await run(['--help']);
    expect(edited.exitCode, edited.stderr).toBe(0);
    expect(edited.stdout).toContain('An edited description.');
    expect(manifest().build).not.toBe(before);
    expect(builds()).toEqual(expect.arrayContaining([before, manifest().build]));
  });

  it('runs from the sources, and says so, where the bundle cannot be written', async () => {
    rmSync(join(copy, 'dist'), { recursive: true, force: true });
    writeFileSync(join(copy, 'dist'), 'a file where the dist directory would be\n');
    const result = await run(['--help']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('An edited description.');
    expect(result.stderr).toMatch(/could not bundle the engine into .*dist\/cli .*running from the sources/);
  });

  it('runs from the sources without building anything when KARTSTREAM_FROM_SOURCES is set', async () => {
    rmSync(join(copy, 'dist'), { force: true });
    const result = await run(['--help'], { KARTSTREAM_FROM_SOURCES: '1' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(existsSync(join(copy, 'dist'))).toBe(false);
  });
});
