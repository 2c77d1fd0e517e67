// Every scenario of the catalog is run end to end on a sim lab by exactly one file of
// tests/integration/scenarios/ (auto-solved and left alone); a scenario added to the catalog
// without such a run fails here, and so does a file naming a scenario that does not exist.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listScenarios } from '../../../core/scenarios/catalog.ts';

const dir = join(import.meta.dirname, '../../integration/scenarios');

const runsByFile = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const ids = [...text.matchAll(/describeScenarioRuns\(\s*\w+\s*,\s*\[([^\]]*)\]/g)].flatMap((m) =>
      [...m[1]!.matchAll(/'([^']+)'/g)].map((q) => q[1]!),
    );
    return { file, ids };
  });

it('runs every catalog scenario in exactly one integration file', async () => {
  const catalog = (await listScenarios()).map((c) => c.scenario.id).sort();
  const covered = runsByFile.flatMap((f) => f.ids).sort();
  expect(covered).toEqual(catalog);
});

it('includes the five scenarios the product started with', async () => {
  const catalog = (await listScenarios()).map((c) => c.scenario.id);
  expect(catalog).toEqual(
    expect.arrayContaining(['alerting', 'bad-rollout', 'failover', 'lost-placement', 'scale-to-zero']),
  );
});
