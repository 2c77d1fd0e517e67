// The scenario catalog: every scenarios/<id>.yaml of this installation, and finding one by id or
// by path.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import { displayPath } from '../validation/load-yaml-file.ts';
import { loadScenarioFile } from './load-scenario.ts';
import { LEVELS } from './scenario-schema.ts';
import type { LoadedScenario } from './scenario-types.ts';

/** The repository's scenarios/ directory: the catalog. */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

const SCENARIO_FILE = /\.yaml$/;

// The catalog's file names, sorted; each is `<id>.yaml`.
const catalogFiles = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((f) => SCENARIO_FILE.test(f)).sort();

const idsIn = async (dir: string): Promise<string[]> =>
  (await catalogFiles(dir)).map((f) => f.replace(SCENARIO_FILE, ''));

// Loads a catalog file and holds it to the naming rule: the file is named after the id.
const loadCatalogFile = async (file: string): Promise<LoadedScenario> => {
  const loaded = await loadScenarioFile(file);
  const expected = basename(file).replace(SCENARIO_FILE, '');
  if (loaded.scenario.id !== expected) {
    throw new KartStreamError(
      'invalid-input',
      `scenario file ${displayPath(file)} has id "${loaded.scenario.id}", expected "${expected}" (a catalog file is named after its id)`,
      { fix: `rename the file to ${loaded.scenario.id}.yaml, or set id: ${expected}` },
    );
  }
  return loaded;
};

// Every scenario of the catalog, sorted by level (beginner first), then id. A broken file fails
// the whole listing, naming the file and each of its problems.
export const listScenarios = async (dir: string = SCENARIOS_DIR): Promise<LoadedScenario[]> => {
  const files = (await catalogFiles(dir)).map((f) => join(dir, f));
  const results = await Promise.allSettled(files.map(loadCatalogFile));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new KartStreamError(
      'invalid-input',
      `${failures.length} scenario files in ${displayPath(dir)} are broken`,
      {
        details: failures.flatMap((e) =>
          isKartStreamError(e) ? [e.message, ...e.details.map((d) => `  ${d}`)] : [String(e)],
        ),
        fix: 'correct them, checking each with: npx kartstream scenario lint FILE',
      },
    );
  }
  const rank = (level: string) => (LEVELS as readonly string[]).indexOf(level);
  return results
    .flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    .sort(
      (a, b) => rank(a.scenario.level) - rank(b.scenario.level) || a.scenario.id.localeCompare(b.scenario.id),
    );
};

/** Whether the argument of findScenario names a file rather than a catalog id. */
export const looksLikeFile = (idOrFile: string): boolean =>
  /[/\\]/.test(idOrFile) || /\.ya?ml$/.test(idOrFile);

// A scenario by catalog id (e.g. "failover"), or from a YAML file when given a path (anything
// with a "/" or ending in .yaml/.yml).
export const findScenario = async (
  idOrFile: string,
  dir: string = SCENARIOS_DIR,
): Promise<LoadedScenario> => {
  if (looksLikeFile(idOrFile)) return loadScenarioFile(idOrFile);
  const file = join(dir, `${idOrFile}.yaml`);
  if (existsSync(file)) return loadCatalogFile(file);
  const ids = await idsIn(dir);
  throw new KartStreamError('not-found', `there is no scenario "${idOrFile}"`, {
    details: ids.length
      ? [`the scenarios there are: ${ids.join(', ')}`]
      : [`${displayPath(dir)} holds no scenario`],
    fix: ids.length
      ? `use one of: ${ids.join(', ')}, or give the path of a scenario file`
      : 'give the path of a scenario file',
  });
};
