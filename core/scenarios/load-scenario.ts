// Loads a scenario file, validated; errors name the file, line and field (load-yaml-file.ts).
import { resolve } from 'node:path';
import { loadYamlFile, parseYamlText, type YamlFileKind } from '../validation/load-yaml-file.ts';
import { scenarioSchema } from './scenario-schema.ts';
import type { LoadedScenario, Scenario } from './scenario-types.ts';

export const SCENARIO_FILE_KIND: YamlFileKind = {
  what: 'scenario',
  fix: 'correct the file (scenarios/README.md describes the format; the files in scenarios/ are working examples), then check it with: npx kartstream scenario lint FILE',
};

// Reads and validates one scenario file; `file` is kept absolute in the result.
export const loadScenarioFile = async (file: string): Promise<LoadedScenario> => {
  const path = resolve(file);
  return { scenario: await loadYamlFile(path, scenarioSchema, SCENARIO_FILE_KIND), file: path };
};

// Validates scenario YAML held in memory; `file` names it in messages.
export const parseScenario = (text: string, file: string): Scenario => parseYamlText(text, file, scenarioSchema, SCENARIO_FILE_KIND);
