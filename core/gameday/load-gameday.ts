// Loads a game-day script by file or by id (gamedays/<id>.yaml); problems name the file, line and
// field (load-yaml-file.ts), and (given a topology) every pool the script names is held to it.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { displayPath, loadYamlFile, type YamlFileKind } from '../validation/load-yaml-file.ts';
import { unknownPools, unknownPoolText, type PoolsOf } from '../scenarios/scenario-pools.ts';
import type { Action, Check, Scenario } from '../scenarios/scenario-types.ts';
import { gamedaySchema, type GamedayDocument } from './gameday-schema.ts';

/** The repository's gamedays/ directory. */
export const GAMEDAYS_DIR = fileURLToPath(new URL('../../gamedays/', import.meta.url));

export const GAMEDAY_FILE_KIND: YamlFileKind = {
  what: 'game day',
  fix: 'correct the file (docs/gameday.md describes the format; the files in gamedays/ are working examples), then check it with: npx kartstream gameday lint FILE',
};

export interface LoadedGameday {
  gameday: GamedayDocument;
  file: string;
}

// The pool checker reads a scenario's lists: each inject becomes a step (its actions, its `when`
// checks), the objectives one more; a problem's path is mapped back to the game day's own field.
const asScenario = (g: GamedayDocument): Scenario => {
  const step = (id: string, actions: Action[], checks: Check[]) => ({
    id,
    title: '',
    text: '',
    do: actions,
    checks,
    timeout: '1s',
    hints: [],
    solution: '',
  });
  const steps = [
    ...g.injects.map((inject) => step(inject.id, inject.do, inject.when ?? [])),
    step('objectives', [], g.objectives),
  ];
  return { steadyState: g.steadyState, setup: [], rollback: g.rollback, steps } as unknown as Scenario;
};

const gamedayPath = (g: GamedayDocument, path: PropertyKey[]): PropertyKey[] => {
  const [first, index, list, ...rest] = path;
  if (first !== 'steps' || typeof index !== 'number') return path;
  if (index === g.injects.length) return ['objectives', ...rest];
  return ['injects', index, list === 'do' ? 'do' : 'when', ...rest];
};

const schemaFor = (topology?: PoolsOf) =>
  topology
    ? gamedaySchema.superRefine(
        (g, ctx) => {
          for (const { path, pool } of unknownPools(asScenario(g), topology))
            ctx.addIssue({
              code: 'custom',
              message: unknownPoolText(pool, topology),
              path: gamedayPath(g, path),
            });
        },
        { when: (payload) => payload.issues.length === 0 },
      )
    : gamedaySchema;

export const loadGamedayFile = async (file: string, topology?: PoolsOf): Promise<LoadedGameday> => {
  const path = resolve(file);
  return { gameday: await loadYamlFile(path, schemaFor(topology), GAMEDAY_FILE_KIND), file: path };
};

/** The ids of gamedays/, sorted. */
export const gamedayIds = async (): Promise<string[]> =>
  (await readdir(GAMEDAYS_DIR).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();

// A game day by id (gamedays/<id>.yaml) or by path.
export const findGameday = async (idOrFile: string, topology?: PoolsOf): Promise<LoadedGameday> => {
  if (idOrFile.endsWith('.yaml') || idOrFile.includes('/')) {
    if (!existsSync(idOrFile))
      throw new KartStreamError('not-found', `there is no game-day file ${idOrFile}`, {
        fix: 'give a path to a game-day YAML file, or an id: npx kartstream gameday list',
      });
    return loadGamedayFile(idOrFile, topology);
  }
  const file = join(GAMEDAYS_DIR, `${idOrFile}.yaml`);
  if (!existsSync(file))
    throw new KartStreamError('not-found', `there is no game day "${idOrFile}"`, {
      details: [`game days: ${(await gamedayIds()).join(', ')}`],
      fix: 'pick one of those, or give the path of a game-day file',
    });
  const loaded = await loadGamedayFile(file, topology);
  if (loaded.gameday.id !== basename(file, '.yaml'))
    throw new KartStreamError(
      'invalid-input',
      `game-day file ${displayPath(file)} has id "${loaded.gameday.id}", expected "${idOrFile}" (a file in gamedays/ is named after its id)`,
      { fix: `set id: ${idOrFile}` },
    );
  return loaded;
};
