import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectedProblems } from '../../helpers/corpus.ts';
import { isKartStreamError, type KartStreamError } from '../../../core/errors/kartstream-error.ts';
import { findScenario, listScenarios, SCENARIOS_DIR } from '../../../core/scenarios/catalog.ts';
import { loadScenarioFile, parseScenario } from '../../../core/scenarios/load-scenario.ts';
import { poolsOf } from '../../../core/scenarios/scenario-pools.ts';
import { DEFAULT_SCORING } from '../../../core/scenarios/scenario-schema.ts';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from '../../../core/topology/load-topology.ts';
import { displayPath } from '../../../core/validation/load-yaml-file.ts';

const corpus = join(import.meta.dirname, '../../fixtures/scenarios');
const invalidFiles = readdirSync(corpus).filter((f) => f.startsWith('invalid-'));
const CATALOG_IDS = [
  'alerting',
  'bad-rollout',
  'cpu-pressure',
  'failover',
  'lost-placement',
  'monitoring-blind',
  'network-policy',
  'scale-to-zero',
  'slo-burn',
  'unsafe-drain',
  'zone-outage',
];
const defaultPools = poolsOf(DEFAULT_TOPOLOGY_FILE, await loadTopology());

const rejection = async (promise: Promise<unknown>): Promise<KartStreamError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKartStreamError(error))
    throw new Error(`accepted, or failed without a KartStreamError: ${String(error)}`);
  return error;
};

describe('the shipped scenarios', () => {
  it('every file in scenarios/ loads', async () => {
    const files = (await readdir(SCENARIOS_DIR)).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(CATALOG_IDS.map((id) => `${id}.yaml`));
    for (const file of files) {
      const { scenario } = await loadScenarioFile(join(SCENARIOS_DIR, file));
      expect(`${scenario.id}.yaml`).toBe(file);
    }
  });

  it('listScenarios returns the catalog, by level then id', async () => {
    const listed = await listScenarios();
    expect(listed.map((l) => [l.scenario.level, l.scenario.id])).toEqual([
      ['beginner', 'failover'],
      ['beginner', 'lost-placement'],
      ['intermediate', 'alerting'],
      ['intermediate', 'bad-rollout'],
      ['intermediate', 'cpu-pressure'],
      ['intermediate', 'monitoring-blind'],
      ['intermediate', 'network-policy'],
      ['intermediate', 'scale-to-zero'],
      ['intermediate', 'unsafe-drain'],
      ['advanced', 'slo-burn'],
      ['advanced', 'zone-outage'],
    ]);
    for (const { file, scenario } of listed) expect(file).toBe(join(SCENARIOS_DIR, `${scenario.id}.yaml`));
  });
});

describe('the schema', () => {
  it('fills in the defaults of a minimal scenario', async () => {
    const { scenario } = await loadScenarioFile(join(corpus, 'valid-minimal.yaml'));
    expect(scenario.scoring).toEqual(DEFAULT_SCORING);
    expect(scenario.requires).toEqual([]);
    expect(scenario.setup).toEqual([]);
    expect(scenario.steadyState).toEqual([]);
    expect(scenario.rollback).toEqual([]);
    expect(scenario.steps.map((s) => [s.do, s.hints])).toEqual([
      [[], []],
      [[], []],
    ]);
  });

  it('keeps actions and checks as one-key mappings with their arguments', async () => {
    const { scenario } = await loadScenarioFile(join(corpus, 'valid-full.yaml'));
    expect(scenario.steps[0]?.do).toEqual([{ failNode: { pool: 'backend', count: 1 } }]);
    expect(scenario.rollback).toEqual([{ healNode: { pool: 'backend' } }, { restoreShop: {} }]);
    expect(scenario.steadyState).toEqual([{ deploymentsAvailable: { all: true } }]);
  });

  it('fills in the scoring keys that are left out', () => {
    const text = readFileSync(join(corpus, 'valid-full.yaml'), 'utf8').replace(
      'debrief:',
      'scoring: { hint: -10 }\ndebrief:',
    );
    expect(parseScenario(text, 'inline.yaml').scoring).toEqual({ ...DEFAULT_SCORING, hint: -10 });
  });

  it('has a corpus of at least 15 invalid scenario files', () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(15);
  });

  // Pools are held to the default topology, as `scenario lint` does.
  it.each(invalidFiles)('rejects %s with exactly the expected problems', async (name) => {
    const file = join(corpus, name);
    const expected = expectedProblems(file);
    expect(expected.length).toBeGreaterThan(0);
    const error = await rejection(loadScenarioFile(file, defaultPools));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain(displayPath(file));
    expect(error.details).toEqual(expected);
    expect(error.fix).toMatch(/scenario lint/);
  });

  it('names a missing file', async () => {
    const error = await rejection(loadScenarioFile(join(corpus, 'no-such-scenario.yaml')));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('no-such-scenario.yaml does not exist');
  });

  it('names the file given for in-memory text', () => {
    expect(() => parseScenario('id: x\n', 'inline.yaml')).toThrow(/inline\.yaml/);
  });

  it('turns an alias without its anchor into a problem of the file, not a crash', () => {
    let error: unknown;
    try {
      parseScenario('id: x\nlevel: *lvl\n', 'alias.yaml');
    } catch (e) {
      error = e;
    }
    expect(isKartStreamError(error)).toBe(true);
    expect((error as KartStreamError).details).toEqual([
      'alias.yaml: Unresolved alias (the anchor must be set before the alias): lvl',
    ]);
  });
});

describe('findScenario and listScenarios', () => {
  let dir = '';
  const valid = () => readFile(join(corpus, 'valid-full.yaml'), 'utf8');
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kartstream-scenarios-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a catalog scenario by id, and any scenario by path', async () => {
    expect((await findScenario('failover')).scenario.title).toBe('A backend node dies');
    const file = join(corpus, 'valid-minimal.yaml');
    expect(await findScenario(file)).toEqual({ scenario: expect.objectContaining({ id: 'minimal' }), file });
  });

  it('answers an unknown id with the ids there are', async () => {
    const error = await rejection(findScenario('failover-drill'));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe('there is no scenario "failover-drill"');
    expect(error.details).toEqual([`the scenarios there are: ${CATALOG_IDS.join(', ')}`]);
    expect(error.fix).toBe(`use one of: ${CATALOG_IDS.join(', ')}, or give the path of a scenario file`);
  });

  it('says so when the catalog is empty', async () => {
    const error = await rejection(findScenario('anything', dir));
    expect(error.code).toBe('not-found');
    expect(error.details[0]).toMatch(/holds no scenario/);
  });

  it('fails the listing loudly on a broken file, naming it', async () => {
    await writeFile(join(dir, 'fixture-scenario.yaml'), await valid());
    await writeFile(
      join(dir, 'broken.yaml'),
      (await valid()).replace('id: fixture-scenario', 'id: broken\nowner: me'),
    );
    const error = await rejection(listScenarios(dir));
    expect(error.message).toContain(displayPath(join(dir, 'broken.yaml')));
    expect(error.details).toEqual([
      expect.stringMatching(/^.*broken\.yaml:3: owner: unknown key, expected one of id, title, /),
    ]);
  });

  it('lists every broken file when several are', async () => {
    await writeFile(join(dir, 'a.yaml'), 'id: a\n');
    await writeFile(join(dir, 'b.yaml'), 'id: [\n');
    const error = await rejection(listScenarios(dir));
    expect(error.message).toMatch(/^2 scenario files in .* are broken$/);
    expect(error.details.filter((d) => !d.startsWith('  '))).toEqual([
      expect.stringContaining('a.yaml has'),
      expect.stringContaining('b.yaml is not valid YAML'),
    ]);
  });

  it('holds catalog files to their id', async () => {
    await writeFile(join(dir, 'other-name.yaml'), await valid());
    const error = await rejection(listScenarios(dir));
    expect(error.message).toMatch(/has id "fixture-scenario", expected "other-name"/);
    await expect(findScenario('other-name', dir)).rejects.toThrow(/expected "other-name"/);
  });

  it('finds by id in another catalog directory', async () => {
    await writeFile(join(dir, 'fixture-scenario.yaml'), await valid());
    expect((await findScenario('fixture-scenario', dir)).file).toBe(join(dir, 'fixture-scenario.yaml'));
    expect((await listScenarios(dir)).map((l) => l.scenario.id)).toEqual(['fixture-scenario']);
  });
});
