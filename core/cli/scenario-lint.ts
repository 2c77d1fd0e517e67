// `kartstream scenario lint [--topology FILE] FILE...`: validates scenario files without touching
// any cluster (core/cli/lint-files.ts prints the results).
import type { Command } from 'commander';
import { loadScenarioFile } from '../scenarios/load-scenario.ts';
import { addLintCommand, plural } from './lint-files.ts';
import type { Output } from './output.ts';

export const addScenarioLintCommand = (scenarioCommand: Command, out: Output): void =>
  addLintCommand(scenarioCommand, out, {
    noun: 'scenario',
    argument: 'scenario YAML files',
    docs: 'scenarios/README.md',
    check: async (file, pools) => {
      const { scenario } = await loadScenarioFile(file, pools);
      return { path: file, summary: `${scenario.id}: ${plural(scenario.steps.length, 'step')}` };
    },
  });
