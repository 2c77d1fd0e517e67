import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addScenarioLintCommand } from '../../../core/cli/scenario-lint.ts';
import type { Output } from '../../../core/cli/output.ts';
import { isKartStreamError, type KartStreamError } from '../../../core/errors/kartstream-error.ts';
import { DEFAULT_TOPOLOGY_FILE } from '../../../core/topology/load-topology.ts';
import { displayPath } from '../../../core/validation/load-yaml-file.ts';

const corpus = join(import.meta.dirname, '../../fixtures/scenarios');
const catalog = join(import.meta.dirname, '../../../scenarios');

// `kartstream scenario lint FILE...` on a program built the way main.ts builds it.
const lint = async (...files: string[]) => {
  const printed: string[] = [];
  const info: string[] = [];
  const out: Output = { print: (t) => printed.push(t), info: (t) => info.push(t) };
  const program = new Command('kartstream').exitOverride();
  program.configureOutput({ writeOut: (s) => info.push(s), writeErr: (s) => info.push(s) });
  addScenarioLintCommand(program.command('scenario').description('guided scenarios'), out);
  const error = await program.parseAsync(['node', 'kartstream', 'scenario', 'lint', ...files]).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { printed, info, error };
};

const expectedProblems = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('# expect: '))
    .map((l) => `${displayPath(file)}:${l.slice('# expect: '.length)}`);

describe('kartstream scenario lint', () => {
  it('prints ok, the id and the number of steps for each good file', async () => {
    const { printed, error } = await lint(join(catalog, 'failover.yaml'), join(corpus, 'valid-minimal.yaml'));
    expect(error).toBeUndefined();
    expect(printed).toEqual([
      `ok ${displayPath(join(catalog, 'failover.yaml'))} (failover: 3 steps)`,
      `ok ${displayPath(join(corpus, 'valid-minimal.yaml'))} (minimal: 2 steps)`,
    ]);
  });

  it('checks every file, prints every problem, and fails with invalid-input naming the bad files', async () => {
    const bad1 = join(corpus, 'invalid-fail-node-no-target.yaml');
    const bad2 = join(corpus, 'invalid-yaml-syntax.yaml');
    const good = join(corpus, 'valid-full.yaml');
    const { printed, error } = await lint(bad1, good, bad2);
    expect(printed).toEqual([
      ...expectedProblems(bad1),
      `ok ${displayPath(good)} (fixture-scenario: 2 steps)`,
      ...expectedProblems(bad2),
    ]);
    expect(isKartStreamError(error)).toBe(true);
    const failure = error as KartStreamError;
    expect(failure.code).toBe('invalid-input');
    expect(failure.message).toBe(
      `2 of 3 scenario files have problems: ${displayPath(bad1)}, ${displayPath(bad2)}`,
    );
    expect(failure.fix).toMatch(/README/);
  });

  it('reports a file that does not exist as a bad file, and goes on', async () => {
    const missing = join(corpus, 'no-such-scenario.yaml');
    const { printed, error } = await lint(missing, join(corpus, 'valid-minimal.yaml'));
    expect(printed).toEqual([
      `${displayPath(missing)}: scenario file ${displayPath(missing)} does not exist`,
      `ok ${displayPath(join(corpus, 'valid-minimal.yaml'))} (minimal: 2 steps)`,
    ]);
    expect((error as KartStreamError).message).toBe(
      `1 of 2 scenario files has problems: ${displayPath(missing)}`,
    );
  });

  it('holds pools to infra/topology.yaml, naming the file, the field, the bad pool and the pools there are', async () => {
    const bad = join(corpus, 'invalid-unknown-pool.yaml');
    const { printed, error } = await lint(bad);
    expect(printed).toEqual(expectedProblems(bad));
    expect(printed[1]).toBe(
      `${displayPath(bad)}:32: steps[1].checks[0].nodesReady.pool: got "storage", expected a pool of infra/topology.yaml: frontend, backend, database, monitoring`,
    );
    expect((error as KartStreamError).code).toBe('invalid-input');
  });

  it('holds pools to the topology given with --topology', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kartstream-lint-'));
    try {
      const withStorage = join(dir, 'storage-topology.yaml');
      await writeFile(
        withStorage,
        `${readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8')}
  - name: storage
    nodes: 1
    labels: { pool: storage }
    taint: { key: pool, value: storage, effect: NoSchedule }
    capacity: { cpu: "2", memory: 4Gi, pods: 110 }
    eks: { instanceType: t3.medium, subnetTier: data, minSize: 1, maxSize: 2 }
`,
      );
      const bad = join(corpus, 'invalid-unknown-pool.yaml');
      const good = join(corpus, 'valid-full.yaml');
      const accepted = await lint('--topology', withStorage, bad);
      expect(accepted.error).toBeUndefined();
      expect(accepted.printed).toEqual([`ok ${displayPath(bad)} (fixture-scenario: 2 steps)`]);

      const lacking = join(dir, 'no-storage.yaml');
      await writeFile(lacking, readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
      const refused = await lint(good, bad, '--topology', lacking);
      expect(refused.printed[0]).toBe(`ok ${displayPath(good)} (fixture-scenario: 2 steps)`);
      expect(refused.printed[1]).toContain(
        `steps[0].do[0].failNode.pool: got "storage", expected a pool of ${displayPath(lacking)}: frontend, backend, database, monitoring`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly on a --topology file that does not exist, before any scenario', async () => {
    const missing = join(corpus, 'no-such-topology.yaml');
    const { printed, error } = await lint('--topology', missing, join(corpus, 'valid-full.yaml'));
    expect(printed).toEqual([]);
    expect((error as KartStreamError).code).toBe('not-found');
    expect((error as KartStreamError).message).toBe(`topology file ${displayPath(missing)} does not exist`);
  });

  it('wants at least one file', async () => {
    const { error, info } = await lint();
    expect((error as { code?: string }).code).toBe('commander.missingArgument');
    expect(info.join('')).toMatch(/missing required argument 'files'/);
  });
});
