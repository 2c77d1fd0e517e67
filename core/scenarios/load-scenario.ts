// Loads a scenario file, validated; errors name the file, line and field (load-yaml-file.ts).
import { resolve } from 'node:path';
import { loadYamlFile, parseYamlText, type YamlFileKind } from '../validation/load-yaml-file.ts';
import { scenarioSchema } from './scenario-schema.ts';
import { unknownPools, unknownPoolText, type PoolsOf } from './scenario-pools.ts';
import type { LoadedScenario, Scenario } from './scenario-types.ts';

export const SCENARIO_FILE_KIND: YamlFileKind = {
  what: 'scenario',
  fix: 'correct the file (scenarios/README.md describes the format; the files in scenarios/ are working examples), then check it with: npx kartstream scenario lint FILE',
};

// The schema, plus (given a topology) a problem for each pool the scenario names that the
// topology does not have, at its line like any other problem. Pools are checked once the rest of
// the file is valid (before that, an action or check may be only half there).
const schemaFor = (topology?: PoolsOf) =>
  topology
    ? scenarioSchema.superRefine(
        (scenario, ctx) => {
          for (const { path, pool } of unknownPools(scenario, topology))
            ctx.addIssue({ code: 'custom', message: unknownPoolText(pool, topology), path });
        },
        { when: (payload) => payload.issues.length === 0 },
      )
    : scenarioSchema;

// Reads and validates one scenario file, its pools against `topology` when given; `file` is kept
// absolute in the result.
export const loadScenarioFile = async (file: string, topology?: PoolsOf): Promise<LoadedScenario> => {
  const path = resolve(file);
  return { scenario: await loadYamlFile(path, schemaFor(topology), SCENARIO_FILE_KIND), file: path };
};

// Validates scenario YAML held in memory; `file` names it in messages.
export const parseScenario = (text: string, file: string): Scenario => parseYamlText(text, file, scenarioSchema, SCENARIO_FILE_KIND);
