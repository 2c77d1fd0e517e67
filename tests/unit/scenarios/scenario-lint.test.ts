import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addScenarioLintCommand } from '../../../core/cli/scenario-lint.ts';
import type { Output } from '../../../core/cli/output.ts';
import { isKartStreamError, type KartStreamError } from '../../../core/errors/kartstream-error.ts';
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

  it('wants at least one file', async () => {
    const { error, info } = await lint();
    expect((error as { code?: string }).code).toBe('commander.missingArgument');
    expect(info.join('')).toMatch(/missing required argument 'files'/);
  });
});
