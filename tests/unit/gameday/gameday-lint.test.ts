import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addGamedayLintCommand } from '../../../core/cli/gameday-lint.ts';
import type { Output } from '../../../core/cli/output.ts';
import { isKartStreamError } from '../../../core/errors/kartstream-error.ts';
import { findGameday } from '../../../core/gameday/load-gameday.ts';
import { poolsOf } from '../../../core/scenarios/scenario-pools.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../../../core/topology/load-topology.ts';
import { displayPath } from '../../../core/validation/load-yaml-file.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/gamedays');

// `kartstream gameday lint FILE...` on a program built the way main.ts builds it.
const lint = async (...files: string[]) => {
  const printed: string[] = [];
  const out: Output = { print: (t) => printed.push(t), info: () => undefined };
  const program = new Command('kartstream').exitOverride();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  addGamedayLintCommand(program.command('gameday'), out);
  const error = await program.parseAsync(['node', 'kartstream', 'gameday', 'lint', ...files]).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { printed, error };
};

const expectedProblems = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('# expect: '))
    .map((l) => `${displayPath(file)}:${l.slice('# expect: '.length)}`);

describe('kartstream gameday lint', () => {
  it('passes both example game days, by id, with their number of injects', async () => {
    const { printed, error } = await lint('cart-outage', 'double-trouble');
    expect(error).toBeUndefined();
    expect(printed).toEqual([
      'ok gamedays/cart-outage.yaml (cart-outage: 1 inject)',
      'ok gamedays/double-trouble.yaml (double-trouble: 2 injects)',
    ]);
  });

  it('prints every problem of a bad file at its line and field, and fails with invalid-input', async () => {
    const file = join(fixtures, 'invalid-injects.yaml');
    const { printed, error } = await lint(file);
    expect(printed.sort()).toEqual(expectedProblems(file).sort());
    expect(isKartStreamError(error) && error.code).toBe('invalid-input');
  });

  it('holds pools to the topology, at the field that names them, once the rest is valid', async () => {
    const file = join(fixtures, 'invalid-pool-and-after.yaml');
    const { printed } = await lint(file);
    expect(printed).toEqual([
      `${displayPath(file)}:14: injects[1].after: got "nobody", expected the id of another inject: node-down, second`,
    ]);
    const fixed = readFileSync(file, 'utf8').replace('after: nobody', 'after: node-down');
    const dir = mkdtempSync(join(tmpdir(), 'gameday-lint-'));
    writeFileSync(join(dir, 'fixed.yaml'), fixed);
    const second = await lint(join(dir, 'fixed.yaml'));
    expect(second.printed).toEqual([
      `${displayPath(join(dir, 'fixed.yaml'))}:11: injects[0].do[0].failNode.pool: got "storage", expected a pool of infra/topology.yaml: frontend, backend, database, monitoring`,
      `${displayPath(join(dir, 'fixed.yaml'))}:20: objectives[0].nodesReady.pool: got "gpu", expected a pool of infra/topology.yaml: frontend, backend, database, monitoring`,
    ]);
  });

  it('names the game days there are when an id is unknown', async () => {
    const pools = poolsOf(DEFAULT_TOPOLOGY_FILE, await loadTopology(DEFAULT_TOPOLOGY_FILE));
    await expect(findGameday('cart-outgae', pools)).rejects.toMatchObject({
      message: 'there is no game day "cart-outgae"',
      details: ['game days: cart-outage, double-trouble'],
    });
  });
});
